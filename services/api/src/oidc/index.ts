import type { RedisClient } from '@shotcaller/events';
import type { OidcConfig } from '@shotcaller/platform';
import { AccessTokenVerifier } from './access-tokens';
import { OidcProvider } from './provider';
import { SessionStore } from './sessions';
import { DashboardSignIn } from './sign-in';

export { AccessTokenVerifier, looksLikeJwt } from './access-tokens';
export { claimAt, grantsFromClaims, identityFromClaims } from './claim-mapping';
export { SessionStore } from './sessions';
export { DashboardSignIn } from './sign-in';

/** Everything sign-in with OpenID Connect needs, built once from its settings. */
export interface OidcAuthentication {
  settings: OidcConfig;
  provider: OidcProvider;
  verifier: AccessTokenVerifier;
  sessions: SessionStore;
  signIn: DashboardSignIn;
}

export function oidcAuthentication(
  settings: OidcConfig,
  redis: RedisClient,
  deployment: string,
): OidcAuthentication {
  const provider = new OidcProvider(settings);
  return {
    settings,
    provider,
    verifier: new AccessTokenVerifier(provider, settings),
    sessions: new SessionStore(redis, deployment, settings.sessionTtlSeconds),
    signIn: new DashboardSignIn(provider, settings),
  };
}
