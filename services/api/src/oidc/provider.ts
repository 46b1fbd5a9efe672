import { errorMessage } from '@shotcaller/contracts';
import type { OidcConfig } from '@shotcaller/platform';
import * as client from 'openid-client';
import { IdentityProviderUnreachable } from '../errors';

/**
 * The studio's provider as openid-client sees it: its discovery document, fetched on first use rather
 * than at start-up (so the api starts while the provider is down) and again after a failed attempt.
 */
export class OidcProvider {
  private discovered: Promise<client.Configuration> | undefined;

  constructor(readonly settings: OidcConfig) {}

  /** The discovered configuration, fetched once. */
  configuration(): Promise<client.Configuration> {
    if (!this.discovered) {
      const { issuer, clientId, clientSecret, allowInsecureHttp } = this.settings;
      this.discovered = client
        .discovery(
          new URL(issuer),
          clientId,
          undefined,
          clientSecret ? client.ClientSecretBasic(clientSecret) : client.None(),
          { timeout: 10, ...(allowInsecureHttp ? { execute: [client.allowInsecureRequests] } : {}) },
        )
        .catch((error: unknown) => {
          this.discovered = undefined;
          throw new IdentityProviderUnreachable(issuer, errorMessage(error));
        });
    }
    return this.discovered;
  }

  /** The issuer as the provider names itself, which every token's `iss` must equal. */
  async issuer(): Promise<string> {
    return (await this.configuration()).serverMetadata().issuer;
  }

  /** Where the provider publishes its signing keys. */
  async jwksUri(): Promise<URL> {
    const uri = (await this.configuration()).serverMetadata().jwks_uri;
    if (!uri)
      throw new IdentityProviderUnreachable(this.settings.issuer, 'its discovery document has no jwks_uri');
    return new URL(uri);
  }
}
