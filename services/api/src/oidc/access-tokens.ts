import { errorMessage, ShotcallerError } from '@shotcaller/contracts';
import type { OidcConfig } from '@shotcaller/platform';
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import type { Identity } from '../auth';
import { IdentityProviderUnreachable, Unauthenticated } from '../errors';
import { identityFromClaims } from './claim-mapping';
import type { OidcProvider } from './provider';

const hint =
  'get a fresh access token from the identity provider for this API (its audience), or use a Shotcaller API token';

/** A compact JWS: three base64url parts, the last empty for `alg: none`. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

/**
 * Checks the provider's JWT access tokens: the signature against its published keys (cached, fetched
 * again on a key id it has not seen, so a rotation needs no restart), `iss`, `aud`, `exp` and `nbf`,
 * and only the configured asymmetric algorithms, so neither `alg: none` nor an HMAC keyed with the
 * public key can pass.
 */
export class AccessTokenVerifier {
  private keys: ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(
    private readonly provider: OidcProvider,
    private readonly settings: OidcConfig,
  ) {}

  private async keySet() {
    if (!this.keys) {
      this.keys = createRemoteJWKSet(await this.provider.jwksUri(), {
        cacheMaxAge: this.settings.jwksCacheSeconds * 1000,
        cooldownDuration: this.settings.jwksCooldownSeconds * 1000,
        timeoutDuration: 10_000,
      });
    }
    return this.keys;
  }

  /** The caller a valid access token names, or 401 saying what is wrong with it. */
  async verify(token: string): Promise<Identity> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.keySet(), {
        issuer: await this.provider.issuer(),
        audience: this.settings.audience,
        algorithms: this.settings.algorithms,
        clockTolerance: this.settings.clockToleranceSeconds,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      if (error instanceof ShotcallerError) throw error;
      if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError))
        throw new IdentityProviderUnreachable(this.settings.issuer, `its keys: ${errorMessage(error)}`);
      throw refusal(error);
    }
    return identityFromClaims(payload, this.settings, 'oidc-access-token');
  }
}

function refusal(error: errors.JOSEError): Unauthenticated {
  if (error instanceof errors.JWTExpired)
    return new Unauthenticated('The access token has expired', 'expired_token', hint);
  if (error instanceof errors.JWTClaimValidationFailed) {
    const what =
      error.claim === 'iss'
        ? 'was issued by another issuer'
        : error.claim === 'aud'
          ? 'is for another audience'
          : error.claim === 'nbf'
            ? 'is not valid yet'
            : `has a bad "${error.claim}" claim`;
    return new Unauthenticated(`The access token ${what}`, 'invalid_token', hint);
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new Unauthenticated(
      'The access token is signed with an algorithm this API does not accept',
      'invalid_token',
      hint,
    );
  if (error instanceof errors.JWKSNoMatchingKey)
    return new Unauthenticated(
      'The access token is signed with a key the provider does not publish',
      'invalid_token',
      hint,
    );
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new Unauthenticated(
      'The access token’s signature does not match its content',
      'invalid_token',
      hint,
    );
  return new Unauthenticated('The access token is not a valid signed JWT', 'invalid_token', hint);
}
