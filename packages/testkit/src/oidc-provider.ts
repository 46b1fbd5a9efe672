import { createHash, generateKeyPairSync, type JsonWebKey, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata, type Configuration, type JWK } from 'oidc-provider';

/** A person the provider knows: they sign in with their account id as login (any password). */
export interface TestUser {
  name: string;
  groups: string[];
}

/** A script or CI job that gets tokens with the client-credentials flow. */
export interface TestMachine {
  clientId: string;
  clientSecret: string;
  /** Groups put in its access tokens, as a provider's app roles would be. */
  groups?: string[];
}

export interface TestOidcOptions {
  users: Record<string, TestUser>;
  machines?: TestMachine[];
  /** The API's identifier: the audience of the JWT access tokens issued for it. */
  audience: string;
}

/** The dashboard's client: the authorization code flow, confidential, PKCE required. */
export interface DashboardClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

/** A signing key of the provider, private part included, so a test can forge tokens with it. */
export type SigningKey = JsonWebKey & { kid: string; alg: 'RS256'; use: 'sig' };

/** The client a test uses to run the code flow by hand (no browser) and get an access token. */
const cliClient = {
  clientId: 'shotcaller-test-cli',
  clientSecret: 'cli-secret-0123456789',
  redirect: 'http://127.0.0.1:1/cb',
};

function newSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    ...(privateKey.export({ format: 'jwk' }) as JWK),
    kid: randomBytes(8).toString('hex'),
    alg: 'RS256',
    use: 'sig',
  };
}

/**
 * A real OpenID provider (panva's certified oidc-provider) in this process, on a free port, with
 * test users and groups, a dashboard client, machines, and JWT access tokens for one API audience.
 */
export async function startOidcProvider(options: TestOidcOptions) {
  let dashboard: DashboardClient | undefined;
  let keys: SigningKey[] = [newSigningKey()];
  let provider: Provider | undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!provider) {
      res.statusCode = 503;
      res.end();
      return;
    }
    void provider.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const clients = (): ClientMetadata[] => [
    ...(dashboard
      ? [
          {
            client_id: dashboard.clientId,
            client_secret: dashboard.clientSecret,
            redirect_uris: dashboard.redirectUris,
            post_logout_redirect_uris: dashboard.postLogoutRedirectUris,
            grant_types: ['authorization_code'],
            response_types: ['code' as const],
          },
        ]
      : []),
    {
      client_id: cliClient.clientId,
      client_secret: cliClient.clientSecret,
      redirect_uris: [cliClient.redirect],
      grant_types: ['authorization_code'],
      response_types: ['code' as const],
    },
    ...(options.machines ?? []).map((m) => ({
      client_id: m.clientId,
      client_secret: m.clientSecret,
      redirect_uris: [],
      grant_types: ['client_credentials'],
      response_types: [],
    })),
  ];

  const configuration = (): Configuration => ({
    clients: clients(),
    jwks: { keys: keys as JWK[] },
    cookies: { keys: ['test-provider-cookie-key-0123456789'] },
    pkce: { required: () => true },
    scopes: ['openid', 'profile', 'groups'],
    claims: { openid: ['sub'], profile: ['name'], groups: ['groups'] },
    // The ID token carries the profile and groups, as Keycloak and Entra ID are commonly set up to.
    conformIdTokenClaims: false,
    findAccount: async (_ctx, id) => {
      const user = options.users[id];
      if (!user) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, name: user.name, groups: user.groups }) };
    },
    extraTokenClaims: async (_ctx, token) => {
      const accountId = (token as { accountId?: string }).accountId;
      if (accountId) {
        const user = options.users[accountId];
        return user ? { name: user.name, groups: user.groups } : undefined;
      }
      const machine = options.machines?.find((m) => m.clientId === (token as { clientId?: string }).clientId);
      return machine?.groups ? { groups: machine.groups } : undefined;
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => options.audience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async () => ({
          scope: 'shotcaller',
          audience: options.audience,
          accessTokenTTL: 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      ClientCredentials: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
  });

  const rebuild = () => {
    const next = new Provider(issuer, configuration());
    next.on('server_error', (_ctx, error) => console.error('oidc-provider server_error', error));
    provider = next;
  };
  rebuild();

  const tokenEndpoint = `${issuer}/token`;
  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
  const tokenRequest = async (auth: string, form: Record<string, string>) => {
    const response = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    const body = (await response.json()) as Record<string, string>;
    if (!response.ok) throw new Error(`token endpoint ${response.status}: ${JSON.stringify(body)}`);
    return body;
  };

  return {
    issuer,
    /** The keys the provider signs with now, newest first. */
    get signingKeys(): readonly SigningKey[] {
      return keys;
    },
    /** Registers the dashboard's client (its redirect URI is known once Shotcaller has a port). */
    registerDashboard(client: DashboardClient) {
      dashboard = client;
      rebuild();
    },
    /** A new signing key; the old ones are no longer published unless `keepOld`. No restart of anything else. */
    rotateKeys({ keepOld = false }: { keepOld?: boolean } = {}) {
      keys = keepOld ? [newSigningKey(), ...keys] : [newSigningKey()];
      rebuild();
    },
    /** An access token for a machine (client credentials), for the API's audience. */
    async clientCredentialsToken(machine: TestMachine): Promise<string> {
      const body = await tokenRequest(basic(machine.clientId, machine.clientSecret), {
        grant_type: 'client_credentials',
        resource: options.audience,
        scope: 'shotcaller',
      });
      return body.access_token!;
    },
    /**
     * The code flow with PKCE as a browser would run it, signed in as `login`: the provider's own
     * sign-in and consent forms are posted, then the code is traded for tokens.
     */
    async codeFlowTokens(login: string): Promise<{ accessToken: string; idToken: string }> {
      const verifier = randomBytes(32).toString('base64url');
      const auth = new URL(`${issuer}/auth`);
      for (const [k, v] of Object.entries({
        client_id: cliClient.clientId,
        response_type: 'code',
        redirect_uri: cliClient.redirect,
        scope: 'openid profile groups',
        state: randomBytes(8).toString('hex'),
        nonce: randomBytes(8).toString('hex'),
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
        resource: options.audience,
      }))
        auth.searchParams.set(k, v);
      const jar = new Map<string, string>();
      let url = auth;
      let form: URLSearchParams | undefined;
      for (let step = 0; step < 12; step++) {
        const response = await fetch(url, {
          method: form ? 'POST' : 'GET',
          redirect: 'manual',
          headers: {
            cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
            ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          ...(form ? { body: form } : {}),
        });
        for (const line of response.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const [name, ...value] = pair!.split('=');
          if (value.join('=')) jar.set(name!.trim(), value.join('='));
          else jar.delete(name!.trim());
        }
        const location = response.headers.get('location');
        if (location?.startsWith(cliClient.redirect)) {
          const code = new URL(location).searchParams.get('code');
          if (!code) throw new Error(`the provider refused: ${location}`);
          const tokens = await tokenRequest(basic(cliClient.clientId, cliClient.clientSecret), {
            grant_type: 'authorization_code',
            code,
            redirect_uri: cliClient.redirect,
            code_verifier: verifier,
            resource: options.audience,
          });
          return { accessToken: tokens.access_token!, idToken: tokens.id_token! };
        }
        if (location) {
          url = new URL(location, url);
          form = undefined;
          continue;
        }
        const html = await response.text();
        const action = /action="([^"]+)"/.exec(html)?.[1];
        const prompt = /name="prompt" value="([a-z]+)"/.exec(html)?.[1];
        if (!action || !prompt)
          throw new Error(`no form on the provider's page (${response.status}): ${html.slice(0, 300)}`);
        url = new URL(action.replaceAll('&amp;', '&'), url);
        form = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
      }
      throw new Error('the code flow did not come back to the client');
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type TestOidcProvider = Awaited<ReturnType<typeof startOidcProvider>>;
