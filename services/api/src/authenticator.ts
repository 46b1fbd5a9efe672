import type { TokenEntry } from '@shotcaller/platform';
import { ApiTokens } from './api-tokens';
import type { Identity } from './auth';
import { Unauthenticated } from './errors';
import { identityFromClaims, looksLikeJwt, type OidcAuthentication } from './oidc';

/** What a request brings to prove who sent it. */
export interface Credentials {
  authorization?: string | undefined;
  /** The dashboard's session cookie. */
  sessionId?: string | undefined;
  /** The request's `Origin` header and whether its method changes anything, to refuse a cross-site use of the cookie. */
  origin?: string | undefined;
  unsafe?: boolean;
}

/**
 * Finds who is calling: an `Authorization: Bearer` header (a configured API token, or else the
 * provider's JWT access token), or without one the dashboard's session cookie.
 */
export class Authenticator {
  private readonly tokens: ApiTokens;

  constructor(
    private readonly entries: readonly TokenEntry[],
    private readonly oidc?: OidcAuthentication,
  ) {
    this.tokens = new ApiTokens(entries);
  }

  /** The same API tokens with sign-in by OpenID Connect beside them. */
  withOidc(oidc: OidcAuthentication): Authenticator {
    return new Authenticator(this.entries, oidc);
  }

  get signIn(): OidcAuthentication | undefined {
    return this.oidc;
  }

  async identify(credentials: Credentials): Promise<Identity> {
    const header = credentials.authorization;
    if (header !== undefined) return this.bearer(header);
    if (credentials.sessionId && this.oidc) {
      // SameSite=Lax already keeps the cookie off cross-site POSTs; a browser's Origin header says the same twice.
      if (
        credentials.unsafe &&
        credentials.origin &&
        credentials.origin !== new URL(this.oidc.settings.publicUrl).origin
      )
        throw new Unauthenticated(
          `A page of ${credentials.origin} may not act with a Shotcaller session`,
          'cross_site',
          'use the dashboard itself, or an API token',
        );
      const session = await this.oidc.sessions.get(credentials.sessionId);
      if (!session) throw new Unauthenticated('Your session has ended', 'session_ended', 'sign in again');
      return identityFromClaims(session.claims, this.oidc.settings, 'oidc-session');
    }
    throw new Unauthenticated('No bearer token', 'missing_token');
  }

  private async bearer(header: string): Promise<Identity> {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!match) throw new Unauthenticated('The Authorization header is not a bearer token', 'not_bearer');
    const token = match[1]!;
    const known = this.tokens.find(token);
    if (known) return known;
    if (this.oidc && looksLikeJwt(token)) return this.oidc.verifier.verify(token);
    throw new Unauthenticated('This token is not known', 'unknown_token');
  }
}
