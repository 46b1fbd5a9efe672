import { ShotcallerError } from '@shotcaller/contracts';

/** Why a request carried no usable credential; the label of the auth-failure metric. */
export type AuthFailureReason =
  | 'missing_token'
  | 'not_bearer'
  | 'unknown_token'
  | 'expired_token'
  | 'invalid_token'
  | 'session_ended'
  | 'cross_site';

const tokenHint = 'send "Authorization: Bearer <token>" with a token from your Shotcaller admin';

export class Unauthenticated extends ShotcallerError {
  readonly code = 'unauthenticated';
  constructor(
    reason: string,
    readonly failure: AuthFailureReason = 'unknown_token',
    hint: string = tokenHint,
  ) {
    super(`${reason}; ${hint}`);
  }
}

/** A handler returned a document its route's response schema refuses: a bug of the server, not the caller. */
export class ResponseOffSchema extends ShotcallerError {
  readonly code = 'response_off_schema';
  constructor(
    readonly route: string,
    readonly status: number,
    readonly issues: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(
      `The answer of ${route} (${status}) does not match its documented schema: ${issues
        .slice(0, 5)
        .map((i) => `${i.path || '(the document)'} ${i.message}`)
        .join('; ')}. This is a bug in Shotcaller; the server log has it`,
    );
  }
}

/** A caller the provider vouched for, whose claims the configured mapping turns into no role at all. */
export class NoRoleFromClaims extends ShotcallerError {
  readonly code = 'no_role_from_claims';
  constructor(
    readonly who: string,
    readonly claimsRead: ReadonlyArray<{ claim: string; values: readonly string[] }>,
  ) {
    const read = claimsRead.length
      ? claimsRead
          .map((c) => `${c.claim} (${c.values.length ? c.values.map((v) => `"${v}"`).join(', ') : 'absent'})`)
          .join('; ')
      : 'none: auth.oidc.claimRules is empty';
    super(
      `${who} is signed in, but no claim maps to a Shotcaller role. Claims read: ${read}. Ask your Shotcaller admin to map one of them in auth.oidc.claimRules, or your identity admin to add you to a mapped group`,
    );
  }
}

/** The identity provider could not be reached (discovery or keys), so no token of it can be checked now. */
export class IdentityProviderUnreachable extends ShotcallerError {
  readonly code = 'identity_provider_unreachable';
  constructor(issuer: string, reason: string) {
    super(`The identity provider ${issuer} cannot be reached (${reason}); try again shortly`);
  }
}

/** A sign-in that came back from the provider and could not be completed. */
export class SignInFailed extends ShotcallerError {
  readonly code = 'sign_in_failed';
}

/** OpenID Connect is not configured, so its sign-in routes have nothing to do. */
export class SignInUnconfigured extends ShotcallerError {
  readonly code = 'sign_in_unconfigured';
  constructor() {
    super('Sign-in with OpenID Connect is not configured here (auth.oidc); sign in with an API token');
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
