import { ShotcallerError } from '@shotcaller/contracts';

/** Why a request carried no usable credential; the label of the auth-failure metric. */
export type AuthFailureReason = 'missing_token' | 'not_bearer' | 'unknown_token';

export class Unauthenticated extends ShotcallerError {
  readonly code = 'unauthenticated';
  constructor(
    reason: string,
    readonly failure: AuthFailureReason = 'unknown_token',
  ) {
    super(`${reason}; send "Authorization: Bearer <token>" with a token from your Shotcaller admin`);
  }
}

export class Forbidden extends ShotcallerError {
  readonly code = 'forbidden';
}

export class NotFound extends ShotcallerError {
  readonly code = 'not_found';
}

export class BatchTooLarge extends ShotcallerError {
  readonly code = 'batch_too_large';
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`A batch may hold at most ${limit} shots; this one holds ${size}. Split it into smaller batches`);
  }
}

/** The caller spent its budget of one kind of request; it may try again after `retryAfterSeconds`. */
export class RateLimited extends ShotcallerError {
  readonly code = 'rate_limited';
  constructor(
    what: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`${what}; try again in ${retryAfterSeconds} s (the Retry-After header says the same)`);
  }
}
