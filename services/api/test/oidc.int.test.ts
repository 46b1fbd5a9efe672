import { createPublicKey } from 'node:crypto';
import { freePort } from '@shotcaller/engines';
import { aConsent, aShotRequest } from '@shotcaller/testkit';
// Its own entry point: only the tests that need a provider load oidc-provider.
import { startOidcProvider, type TestOidcProvider } from '@shotcaller/testkit/oidc-provider';
import { importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionStore } from '../src/oidc';
import { type Harness, startApi, tokens } from './harness';

const audience = 'https://shotcaller.test/api';
const users = {
  ana: { name: 'Ana Lima', groups: ['vfx-nth-td'] },
  ines: { name: 'Ines Duarte', groups: ['vfx-nth-accountants', 'staff'] },
  nobody: { name: 'Noor Bell', groups: ['catering', 'staff'] },
  cleo: { name: 'Cleo Martin', groups: ['vfx-compliance'] },
};
const ciRobot = { clientId: 'ci-nth', clientSecret: 'ci-nth-secret-0123456789' };
const unmappedRobot = { clientId: 'ci-elsewhere', clientSecret: 'ci-elsewhere-secret-0123' };

let idp: TestOidcProvider;
let api: Harness;

beforeAll(async () => {
  idp = await startOidcProvider({ users, machines: [ciRobot, unmappedRobot], audience });
  const port = await freePort();
  api = await startApi({
    port,
    auth: {
      oidc: {
        issuer: idp.issuer,
        clientId: 'shotcaller-dashboard',
        clientSecret: 'dashboard-secret-0123456789',
        publicUrl: `http://127.0.0.1:${port}`,
        audience,
        allowInsecureHttp: true,
        // Rotation is tested without waiting: any unknown key id fetches the keys again at once.
        jwksCooldownSeconds: 0,
        claimRules: [
          { claim: 'groups', value: 'vfx-nth-td', role: 'td', shows: ['NTH'] },
          { claim: 'groups', value: 'vfx-nth-accountants', role: 'accountant', shows: ['NTH'] },
          { claim: 'client_id', value: 'ci-nth', role: 'td', shows: ['NTH'] },
          { claim: 'groups', value: 'vfx-compliance', role: 'compliance', shows: ['NTH'] },
        ],
      },
    },
  });
});
afterAll(async () => {
  await api?.close();
  await idp?.stop();
});

const call = (path: string, authorization?: string, init: RequestInit = {}) =>
  fetch(`${api.url}${path}`, {
    ...init,
    headers: {
      ...(authorization === undefined ? {} : { authorization }),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
  });

/** A token signed with the provider's own current key, with claims a test chooses. */
async function forged(claims: JWTPayload, header: { alg?: string; kid?: string } = {}) {
  const key = idp.signingKeys[0]!;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: idp.issuer,
    aud: audience,
    sub: 'ana',
    iat: now,
    exp: now + 300,
    groups: ['vfx-nth-td'],
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'at+jwt', ...header })
    .sign(await importJWK(key as JWK, 'RS256'));
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function expectRefused(authorization: string, status: number, detail: RegExp) {
  const response = await call('/v1/me', authorization);
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await response.json()) as { status: number; detail: string; code: string };
  expect(problem.status).toBe(status);
  expect(problem.detail).toMatch(detail);
  return problem;
}

describe('API calls with the provider’s access tokens', () => {
  it('a person’s token from the code flow acts with the roles and shows their groups map to', async () => {
    const { accessToken } = await idp.codeFlowTokens('ana');
    const me = await (await call('/v1/me', `Bearer ${accessToken}`)).json();
    expect(me).toMatchObject({
      name: 'Ana Lima',
      subject: 'ana',
      by: 'oidc-access-token',
      role: 'td',
      shows: ['NTH'],
    });

    const submitted = await call('/v1/shots', `Bearer ${accessToken}`, {
      method: 'POST',
      body: JSON.stringify(aShotRequest({ show: 'NTH', shot: 'OIDC_0010' })),
    });
    expect(submitted.status).toBe(201);
    const shot = (await submitted.json()) as { id: string };
    const history = (await (await call(`/v1/shots/${shot.id}`, `Bearer ${accessToken}`)).json()) as {
      history: Array<{ type: string; data: { submittedBy?: string } }>;
    };
    // The record names the person by name and by the provider's subject.
    expect(history.history.find((e) => e.type === 'io.shotcaller.shot.submitted.v1')?.data.submittedBy).toBe(
      'Ana Lima (sub ana)',
    );

    const elsewhere = await call('/v1/shots', `Bearer ${accessToken}`, {
      method: 'POST',
      body: JSON.stringify(aShotRequest({ show: 'OTHER', shot: 'OIDC_0020' })),
    });
    expect(elsewhere.status).toBe(403);
  });

  it('an accountant’s token reads budgets but may not submit shots', async () => {
    const { accessToken } = await idp.codeFlowTokens('ines');
    expect((await call('/v1/me', `Bearer ${accessToken}`)).status).toBe(200);
    const submit = await call('/v1/shots', `Bearer ${accessToken}`, {
      method: 'POST',
      body: JSON.stringify(aShotRequest({ show: 'NTH', shot: 'OIDC_0030' })),
    });
    expect(submit.status).toBe(403);
    expect(((await submit.json()) as { detail: string }).detail).toContain('accountant');
  });

  it('a consent recorded by a compliance officer names her by name and provider subject', async () => {
    const { accessToken } = await idp.codeFlowTokens('cleo');
    const { recordedBy: _by, recordedAt: _at, id: _id, ...consent } = aConsent({ shows: ['NTH'] });
    const recorded = await call('/v1/consents', `Bearer ${accessToken}`, {
      method: 'POST',
      body: JSON.stringify(consent),
    });
    expect(recorded.status).toBe(201);
    expect(((await recorded.json()) as { recordedBy: string }).recordedBy).toBe('Cleo Martin (sub cleo)');
  });

  it('a machine’s client-credentials token is mapped by its client id', async () => {
    const token = await idp.clientCredentialsToken(ciRobot);
    const me = await (await call('/v1/me', `Bearer ${token}`)).json();
    expect(me).toMatchObject({
      name: 'ci-nth',
      subject: 'ci-nth',
      by: 'oidc-access-token',
      role: 'td',
      shows: ['NTH'],
    });
  });

  it('API tokens keep working beside the provider', async () => {
    const me = await (await call('/v1/me', `Bearer ${tokens.td}`)).json();
    expect(me).toMatchObject({ name: 'ana (td)', by: 'api-token', role: 'td' });
  });

  it('a valid token whose claims map to no role gets 403 naming the claims read', async () => {
    const { accessToken } = await idp.codeFlowTokens('nobody');
    const problem = await expectRefused(`Bearer ${accessToken}`, 403, /groups \("catering", "staff"\)/);
    expect(problem.code).toBe('no_role_from_claims');
    expect(problem.detail).toContain('Noor Bell');

    const machine = await idp.clientCredentialsToken(unmappedRobot);
    const refused = await expectRefused(`Bearer ${machine}`, 403, /client_id \("ci-elsewhere"\)/);
    expect(refused.code).toBe('no_role_from_claims');
  });
});

describe('tokens the API refuses, each with 401 and a problem document', () => {
  it('an expired token', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    await expectRefused(`Bearer ${await forged({ iat: past - 300, exp: past })}`, 401, /expired/);
  });

  it('a token for another audience', async () => {
    await expectRefused(
      `Bearer ${await forged({ aud: 'https://payroll.test/api' })}`,
      401,
      /another audience/,
    );
  });

  it('a token from another issuer', async () => {
    await expectRefused(
      `Bearer ${await forged({ iss: 'https://idp.elsewhere.test' })}`,
      401,
      /another issuer/,
    );
  });

  it('a token whose payload was changed after signing', async () => {
    const { accessToken } = await idp.codeFlowTokens('ines');
    const [header, payload, signature] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${header}.${b64({ ...claims, groups: ['vfx-nth-td'] })}.${signature}`;
    await expectRefused(`Bearer ${tampered}`, 401, /signature does not match/);
  });

  it('an unsigned token (alg: none)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: idp.issuer, aud: audience, sub: 'ana', exp: now + 300, groups: ['vfx-nth-td'] })}.`;
    await expectRefused(`Bearer ${unsigned}`, 401, /algorithm this API does not accept/);
  });

  it('an HS256 token keyed with the provider’s public key', async () => {
    const key = idp.signingKeys[0]!;
    const publicPem = createPublicKey({ key, format: 'jwk' }).export({ format: 'pem', type: 'spki' });
    const now = Math.floor(Date.now() / 1000);
    const hmac = await new SignJWT({
      iss: idp.issuer,
      aud: audience,
      sub: 'ana',
      exp: now + 300,
      groups: ['vfx-nth-td'],
    })
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .sign(new TextEncoder().encode(String(publicPem)));
    await expectRefused(`Bearer ${hmac}`, 401, /algorithm this API does not accept/);
  });

  it('a garbage Authorization header', async () => {
    await expectRefused('Bearer', 401, /not a bearer token/);
    await expectRefused('Basic YW5hOnNlY3JldA==', 401, /not a bearer token/);
    await expectRefused('Bearer not.a.jwt!', 401, /not known/);
    await expectRefused(
      `Bearer ${b64({ alg: 'RS256' })}.bm9wZQ.c2ln`,
      401,
      /not a valid signed JWT|signature does not match/,
    );
  });
});

describe('dashboard sessions', () => {
  it('a session cookie acts as its person, but not for a page of another origin', async () => {
    const sessions = new SessionStore(api.redis, api.deployment, 60);
    const { idToken } = await idp.codeFlowTokens('ana');
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const cookie = `shotcaller-session=${await sessions.create({ claims, createdAt: new Date().toISOString() })}`;
    const submit = (origin: string, shot: string) =>
      fetch(`${api.url}/v1/shots`, {
        method: 'POST',
        headers: { cookie, origin, 'content-type': 'application/json' },
        body: JSON.stringify(aShotRequest({ show: 'NTH', shot })),
      });

    const me = await (await fetch(`${api.url}/v1/me`, { headers: { cookie } })).json();
    expect(me).toMatchObject({ name: 'Ana Lima', by: 'oidc-session', role: 'td' });
    expect((await submit(api.url, 'SESS_0010')).status).toBe(201);
    const foreign = await submit('https://evil.example', 'SESS_0020');
    expect(foreign.status).toBe(401);
    expect(((await foreign.json()) as { detail: string }).detail).toContain('https://evil.example');
  });

  it('signing out ends the session in Redis, so the cookie names nothing afterwards', async () => {
    const sessions = new SessionStore(api.redis, api.deployment, 60);
    const id = await sessions.create({
      claims: { iss: idp.issuer, sub: 'ana', groups: ['vfx-nth-td'] },
      createdAt: new Date().toISOString(),
    });
    const cookie = `shotcaller-session=${id}`;
    const out = await fetch(`${api.url}/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(200);
    expect(((await out.json()) as { signOutUrl: string }).signOutUrl).toContain(`${idp.issuer}/session/end`);
    const after = await fetch(`${api.url}/v1/me`, { headers: { cookie } });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { detail: string }).detail).toContain('session has ended');
  });
});

describe('rotating the provider’s signing key', () => {
  it('accepts tokens of the new key without a restart and refuses tokens of a key no longer published', async () => {
    const before = await idp.clientCredentialsToken(ciRobot);
    expect((await call('/v1/me', `Bearer ${before}`)).status).toBe(200);

    idp.rotateKeys();
    const after = await idp.clientCredentialsToken(ciRobot);
    expect(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).kid).not.toBe(
      JSON.parse(Buffer.from(before.split('.')[0]!, 'base64url').toString()).kid,
    );
    expect((await call('/v1/me', `Bearer ${after}`)).status).toBe(200);
    await expectRefused(`Bearer ${before}`, 401, /key the provider does not publish/);
  });
});
