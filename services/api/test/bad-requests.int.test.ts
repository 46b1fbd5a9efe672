import { aShotRequest } from '@shotcaller/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startApi, tokens } from './harness';

let api: Harness;
let shotOfNth: string;
let shotOfOther: string;

beforeAll(async () => {
  api = await startApi({ maxBatch: 5, bodyLimitBytes: 64 * 1024 });
  shotOfNth = (await api.commands.submit(aShotRequest({ show: 'NTH' }), { name: 'seed', source: '/test' }))
    .shot.id;
  shotOfOther = (
    await api.commands.submit(aShotRequest({ show: 'OTHER' }), { name: 'seed', source: '/test' })
  ).shot.id;
});
afterAll(() => api.close());

interface Call {
  method?: string;
  path: string;
  token?: string | null;
  body?: unknown;
  raw?: string;
  contentType?: string;
}

async function call({
  method = 'POST',
  path,
  token = tokens.td,
  body,
  raw,
  contentType = 'application/json',
}: Call) {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = token.startsWith('Basic') ? token : `Bearer ${token}`;
  if (body !== undefined || raw !== undefined) headers['content-type'] = contentType;
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers,
    ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text,
    json: () => JSON.parse(text),
  };
}

const shot = (overrides: Record<string, unknown> = {}) => ({ ...aShotRequest(), ...overrides });
const badFrames = shot({ frames: { start: 1100, end: 1001 } });

/** [what, request, expected status, expected code, text the detail or a field path must mention] */
const cases: Array<[string, () => Call, number, string, RegExp]> = [
  [
    'no token',
    () => ({ path: '/v1/shots', token: null, body: shot() }),
    401,
    'unauthenticated',
    /No bearer token/,
  ],
  [
    'an unknown token',
    () => ({ path: '/v1/shots', token: 'tok-nobody', body: shot() }),
    401,
    'unauthenticated',
    /not known/,
  ],
  [
    'a Basic auth header',
    () => ({ path: '/v1/shots', token: 'Basic dXNlcjpwYXNz', body: shot() }),
    401,
    'unauthenticated',
    /not a bearer token/,
  ],
  [
    'an accountant submitting a shot',
    () => ({ path: '/v1/shots', token: tokens.accountant, body: shot() }),
    403,
    'forbidden',
    /accountant role may not/,
  ],
  [
    'a vendor listing shots',
    () => ({ method: 'GET', path: '/v1/shots', token: tokens.vendor }),
    403,
    'forbidden',
    /vendor role/,
  ],
  [
    'a TD submitting for a show not theirs',
    () => ({ path: '/v1/shots', body: shot({ show: 'OTHER' }) }),
    403,
    'forbidden',
    /show OTHER/,
  ],
  [
    "a TD reading another show's shot",
    () => ({ method: 'GET', path: `/v1/shots/${shotOfOther}` }),
    404,
    'shot_not_found',
    /No shot/,
  ],
  [
    "a TD cancelling another show's shot",
    () => ({ path: `/v1/shots/${shotOfOther}/cancel`, body: { reason: 'x' } }),
    404,
    'shot_not_found',
    /No shot/,
  ],
  [
    'malformed JSON',
    () => ({ path: '/v1/shots', raw: '{"show": "NTH",' }),
    400,
    'malformed_json',
    /not valid JSON/,
  ],
  ['an empty JSON body', () => ({ path: '/v1/shots', raw: '' }), 400, 'malformed_json', /empty/],
  [
    'a body over the size limit',
    () => ({ path: '/v1/shots', body: shot({ brief: 'x'.repeat(70 * 1024) }) }),
    413,
    'payload_too_large',
    /larger/,
  ],
  [
    'a body that is not JSON',
    () => ({ path: '/v1/shots', raw: 'show=NTH', contentType: 'text/plain' }),
    415,
    'unsupported_media_type',
    /application\/json/,
  ],
  [
    'an unknown field',
    () => ({ path: '/v1/shots', body: shot({ colour: 'blue' }) }),
    400,
    'validation_failed',
    /colour: unknown field/,
  ],
  [
    'a missing brief',
    () => ({ path: '/v1/shots', body: shot({ brief: undefined }) }),
    400,
    'validation_failed',
    /brief: is required/,
  ],
  [
    'frames of the wrong type',
    () => ({ path: '/v1/shots', body: shot({ frames: '1001-1048' }) }),
    400,
    'validation_failed',
    /frames: /,
  ],
  [
    'an end frame before the start',
    () => ({ path: '/v1/shots', body: badFrames }),
    400,
    'validation_failed',
    /frames\.end: end must not be before start/,
  ],
  [
    'an unknown category',
    () => ({ path: '/v1/shots', body: shot({ category: 'explosion' }) }),
    400,
    'validation_failed',
    /category/,
  ],
  [
    'a bad territory',
    () => ({ path: '/v1/shots', body: shot({ territories: ['Europe'] }) }),
    400,
    'validation_failed',
    /territories\[0\]/,
  ],
  [
    'a deadline without a time zone',
    () => ({ path: '/v1/shots', body: shot({ deadline: '2027-01-01' }) }),
    400,
    'validation_failed',
    /deadline/,
  ],
  [
    'a priority that is a number',
    () => ({ path: '/v1/shots', body: shot({ priority: 1 }) }),
    400,
    'validation_failed',
    /priority/,
  ],
  [
    'a batch over the limit',
    () => ({ path: '/v1/shots:batch', body: { shots: Array.from({ length: 6 }, () => shot()) } }),
    413,
    'batch_too_large',
    /at most 5/,
  ],
  [
    'a batch with one bad shot',
    () => ({ path: '/v1/shots:batch', body: { shots: [shot(), badFrames, shot()] } }),
    400,
    'validation_failed',
    /shots\[1\]\.frames\.end/,
  ],
  [
    'an empty batch',
    () => ({ path: '/v1/shots:batch', body: { shots: [] } }),
    400,
    'validation_failed',
    /shots: must hold at least one/,
  ],
  [
    'a batch repeating a key with other content',
    () => {
      const a = shot();
      return { path: '/v1/shots:batch', body: { shots: [a, { ...a, brief: 'different' }] } };
    },
    400,
    'validation_failed',
    /shots\[1\]\.idempotencyKey: repeats the key of shots\[0\]/,
  ],
  [
    'an override to an unknown route',
    () => ({ path: `/v1/shots/${shotOfNth}/override`, body: { route: 'robots', reason: 'because' } }),
    400,
    'validation_failed',
    /route/,
  ],
  [
    'an override without a reason',
    () => ({ path: `/v1/shots/${shotOfNth}/override`, body: { route: 'vendor' } }),
    400,
    'validation_failed',
    /reason: is required/,
  ],
  [
    'approving a shot nothing was delivered for',
    () => ({ path: `/v1/shots/${shotOfNth}/approve`, body: {} }),
    409,
    'illegal_transition',
    /cannot become approved/,
  ],
  [
    'an unknown shot',
    () => ({ method: 'GET', path: '/v1/shots/sh-nope' }),
    404,
    'shot_not_found',
    /No shot sh-nope/,
  ],
  ['an unknown route', () => ({ method: 'GET', path: '/v1/shots/x/y/z' }), 404, 'not_found', /No route GET/],
  [
    'a list filtered by an unknown state',
    () => ({ method: 'GET', path: '/v1/shots?state=lost' }),
    400,
    'validation_failed',
    /state/,
  ],
  [
    'a list with an unknown parameter',
    () => ({ method: 'GET', path: '/v1/shots?colour=blue' }),
    400,
    'validation_failed',
    /colour: unknown field/,
  ],
  [
    'a list with a limit too large',
    () => ({ method: 'GET', path: '/v1/shots?limit=100000' }),
    400,
    'validation_failed',
    /limit/,
  ],
  [
    'events of a show not theirs',
    () => ({ method: 'GET', path: '/v1/events?show=OTHER' }),
    403,
    'forbidden',
    /show OTHER/,
  ],
  [
    'a budget line with negative money',
    () => ({
      method: 'PUT',
      path: '/v1/budgets/lines/NTH-VFX',
      token: tokens.accountant,
      body: { show: 'NTH', currency: 'USD', amount: '-5.00' },
    }),
    400,
    'validation_failed',
    /amount: must be a non-negative amount/,
  ],
  [
    'a budget line with fractions of a cent',
    () => ({
      method: 'PUT',
      path: '/v1/budgets/lines/NTH-VFX',
      token: tokens.accountant,
      body: { show: 'NTH', currency: 'USD', amount: '5.001' },
    }),
    400,
    'validation_failed',
    /more decimals than USD/,
  ],
  [
    'a budget line in a currency that does not exist',
    () => ({
      method: 'PUT',
      path: '/v1/budgets/lines/NTH-VFX',
      token: tokens.accountant,
      body: { show: 'NTH', currency: 'XBT', amount: '5' },
    }),
    400,
    'validation_failed',
    /currency: XBT is not an ISO 4217/,
  ],
  [
    'a TD reading the budget',
    () => ({ method: 'GET', path: '/v1/budgets?show=NTH' }),
    403,
    'forbidden',
    /td role may not/,
  ],
  [
    'a vendor reading the budget',
    () => ({ method: 'GET', path: '/v1/budgets?show=NTH', token: tokens.vendor }),
    403,
    'forbidden',
    /vendor role may not/,
  ],
  [
    'a budget without a show',
    () => ({ method: 'GET', path: '/v1/budgets', token: tokens.accountant }),
    400,
    'validation_failed',
    /show/,
  ],
  ['metrics with a TD token', () => ({ method: 'GET', path: '/metrics' }), 403, 'forbidden', /metrics:read/],
];

describe('bad requests', () => {
  it.each(cases)('%s gets a problem document, not a 500', async (_what, make, status, code, mention) => {
    const before = { shots: await api.store.count(), events: await api.store.log.length() };
    const response = await call(make());
    expect(response.status).toBe(status);
    expect(response.type).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({ status, code, type: `urn:shotcaller:problem:${code}` });
    const said = `${problem.detail} ${(problem.errors ?? []).map((e: { path: string; message: string }) => `${e.path}: ${e.message}`).join(' ')}`;
    expect(said).toMatch(mention);
    // Nothing half-written: no shot, no event.
    expect({ shots: await api.store.count(), events: await api.store.log.length() }).toEqual(before);
  });

  it('refuses the same idempotency key reused for another shot, naming the shot it made', async () => {
    const first = shot();
    const created = await call({ path: '/v1/shots', body: first });
    expect(created.status).toBe(201);
    const reused = await call({ path: '/v1/shots', body: { ...first, brief: 'Something else' } });
    expect(reused.status).toBe(409);
    expect(reused.json()).toMatchObject({ code: 'idempotency_conflict' });
    expect(reused.json().detail).toContain(created.json().id);
  });

  it('answers a cancelled shot cancelled again with a conflict', async () => {
    const created = (await call({ path: '/v1/shots', body: shot() })).json();
    expect((await call({ path: `/v1/shots/${created.id}/cancel`, body: { reason: 'cut' } })).status).toBe(
      200,
    );
    const again = await call({ path: `/v1/shots/${created.id}/cancel`, body: { reason: 'cut' } });
    expect(again.status).toBe(409);
    expect(again.json().detail).toMatch(/cancelled is final/);
  });
});

describe('a path longer than any id', () => {
  it('gets a problem document that does not echo the path back', async () => {
    const response = await fetch(`${api.url}/v1/shots/${'x'.repeat(5_000)}`, {
      headers: { authorization: `Bearer ${tokens.td}` },
    });
    expect(response.status).toBe(414);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const text = await response.text();
    expect(text.length).toBeLessThan(1_000);
    expect(JSON.parse(text)).toMatchObject({ status: 414, code: 'uri_too_long' });
  });
});
