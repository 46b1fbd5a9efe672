import { ShotcallerError } from '@shotcaller/contracts';

export class Unauthenticated extends ShotcallerError {
  readonly code = 'unauthenticated';
  constructor(reason: string) {
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
