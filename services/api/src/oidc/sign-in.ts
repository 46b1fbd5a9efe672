import { errorMessage, ShotcallerError } from '@shotcaller/contracts';
import type { OidcConfig } from '@shotcaller/platform';
import * as client from 'openid-client';
import { SignInFailed } from '../errors';
import type { Claims } from './claim-mapping';
import type { OidcProvider } from './provider';
import type { PendingSignIn } from './sessions';

/** The authorization code flow with PKCE, state and nonce, done by openid-client for the dashboard. */
export class DashboardSignIn {
  readonly redirectUri: string;
  private readonly home: string;

  constructor(
    private readonly provider: OidcProvider,
    private readonly settings: OidcConfig,
  ) {
    this.home = new URL('/', settings.publicUrl).href;
    this.redirectUri = new URL('/auth/callback', settings.publicUrl).href;
  }

  /** Where to send the browser, and what to keep until it comes back. */
  async start(returnTo: string): Promise<{ url: URL; pending: PendingSignIn }> {
    const config = await this.provider.configuration();
    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      returnTo,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.settings.scopes.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      ...(this.settings.resource ? { resource: this.settings.resource } : {}),
    });
    return { url, pending };
  }

  /** Trades the code for tokens; openid-client checks state, PKCE, and the ID token's signature, issuer, audience and nonce. */
  async finish(callback: URL, pending: PendingSignIn): Promise<{ claims: Claims; idToken?: string }> {
    const config = await this.provider.configuration();
    try {
      const tokens = await client.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new SignInFailed('The provider sent no ID token');
      return { claims: { ...claims }, ...(tokens.id_token ? { idToken: tokens.id_token } : {}) };
    } catch (error) {
      if (error instanceof ShotcallerError) throw error;
      throw new SignInFailed(`The provider’s answer was refused: ${errorMessage(error)}; sign in again`);
    }
  }

  /** The provider's sign-out page (RP-initiated logout), when it has one; it sends the browser back home. */
  async signOutUrl(idToken: string | undefined): Promise<string> {
    const config = await this.provider.configuration();
    if (!config.serverMetadata().end_session_endpoint) return this.home;
    return client
      .buildEndSessionUrl(config, {
        post_logout_redirect_uri: this.home,
        client_id: this.settings.clientId,
        ...(idToken ? { id_token_hint: idToken } : {}),
      })
      .toString();
  }
}
