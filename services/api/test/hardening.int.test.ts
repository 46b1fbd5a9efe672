import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { route } from '@shotcaller/api';
import { eventLogKeys } from '@shotcaller/events';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiOptions, type Harness, startApi, tokens } from './harness';

const started: Harness[] = [];
async function api(options: ApiOptions = {}): Promise<Harness> {
  const harness = await startApi(options);
  started.push(harness);
  return harness;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.close()));
});

const get = (base: Harness, path: string, token: string | null = tokens.td, headers = {}) =>
  fetch(`${base.url}${path}`, {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
const submit = (base: Harness, token: string, shot = aShotRequest({ show: 'NTH' })) =>
  fetch(`${base.url}/v1/shots`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(shot),
  });
const metricsOf = async (base: Harness) => (await get(base, '/metrics', tokens.admin)).text();
const metric = (text: string, line: string) =>
  Number(new RegExp(`^${line.replace(/[{}"]/g, '\\$&')} (\\d+)`, 'm').exec(text)?.[1] ?? 0);

describe('security headers', () => {
  let one: Harness;
  beforeAll(async () => {
    one = await startApi();
  });
  afterAll(() => one.close());

  it('the dashboard page gets a strict policy: only this origin, no inline script, no framing', async () => {
    const response = await get(one, '/', null);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('API answers, problem documents and unknown paths carry the headers too, with a policy that loads nothing', async () => {
    for (const response of [
      await get(one, '/v1/shots'),
      await get(one, '/v1/shots', 'tok-nobody'),
      await get(one, '/no/such/path'),
      await get(one, '/healthz', null),
    ]) {
      expect(response.headers.get('content-security-policy')).toBe(
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
    const answer = await get(one, '/v1/shots');
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('a 304 for the page brings no other policy (a browser would apply it to its cached copy)', async () => {
    // A dashboard of its own: the browser tests rebuild the real one while this runs.
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Shotcaller</title>');
    // A file changed this very second is never answered 304: date it as a build from an hour ago.
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(dir, 'index.html'), hourAgo, hourAgo);
    const page = await api({ dashboardDir: dir });
    const etag = (await get(page, '/', null)).headers.get('etag')!;
    // As a browser revalidates on reload (fetch would add `no-cache` to a conditional request otherwise).
    const again = await get(page, '/', null, { 'if-none-match': etag, 'cache-control': 'max-age=0' });
    expect(again.status).toBe(304);
    expect(again.headers.get('content-security-policy') ?? '').not.toContain("default-src 'none'");
  });

  it('sends no HSTS over plain HTTP, and ignores a forwarded https from a proxy it does not trust', async () => {
    expect((await get(one, '/v1/shots')).headers.get('strict-transport-security')).toBeNull();
    const forged = await get(one, '/v1/shots', tokens.td, { 'x-forwarded-proto': 'https' });
    expect(forged.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends HSTS when a trusted TLS proxy says the request came over https', async () => {
    const proxied = await api({ api: { trustProxy: '127.0.0.1' } });
    const response = await get(proxied, '/v1/shots', tokens.td, { 'x-forwarded-proto': 'https' });
    expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect(
      (await get(proxied, '/v1/shots', tokens.td, { 'x-forwarded-proto': 'http' })).headers.get(
        'strict-transport-security',
      ),
    ).toBeNull();
  });

  it('keeps CORS closed: a page on another origin gets no Access-Control-Allow-Origin', async () => {
    const preflight = await fetch(`${one.url}/v1/shots`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await get(one, '/v1/shots', tokens.td, { origin: 'https://evil.example' });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('opens CORS to configured origins only', async () => {
    const open = await api({ api: { corsOrigins: ['https://tools.example.com'] } });
    const allowed = await fetch(`${open.url}/v1/shots`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://tools.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://tools.example.com');
    const other = await get(open, '/v1/shots', tokens.td, { origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('rate limits per caller', () => {
  it('a burst beyond the write budget, spread over two api replicas on one Redis, gets 429 with Retry-After and a problem document', async () => {
    const limits = { rateLimits: { write: 5, windowMs: 60_000 } };
    const first = await api({ api: limits });
    const second = await api({ api: limits, replicaOf: first });
    expect(second.deployment).toBe(first.deployment);
    expect(second.url).not.toBe(first.url);

    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) => submit(i % 2 ? second : first, tokens.td)),
    );
    const statuses = burst.map((r) => r.status);
    // The two replicas share one count: five in the window, whichever replica took them.
    expect(statuses.filter((s) => s === 201 || s === 200)).toHaveLength(5);
    const refused = burst.filter((r) => r.status === 429);
    expect(refused).toHaveLength(7);
    expect(refused.some((r) => r.url.startsWith(first.url))).toBe(true);
    expect(refused.some((r) => r.url.startsWith(second.url))).toBe(true);
    for (const response of refused) {
      const retryAfter = Number(response.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await response.json()) as Record<string, unknown>;
      expect(problem).toMatchObject({
        status: 429,
        code: 'rate_limited',
        title: 'Too many requests',
        retryAfterSeconds: retryAfter,
        type: 'urn:shotcaller:problem:rate_limited',
      });
      expect(problem.detail).toMatch(/too many changes/);
    }

    // Budgets are per caller and per kind: another token may still write, and the same token may still read.
    expect((await submit(second, tokens.admin)).status).toBeLessThan(300);
    expect((await get(first, '/v1/shots')).status).toBe(200);
    const counted = metric(await metricsOf(first), 'shotcaller_rate_limited_total{limit="write"}');
    const countedToo = metric(await metricsOf(second), 'shotcaller_rate_limited_total{limit="write"}');
    expect(counted + countedToo).toBe(7);
  });

  it('keeps the counts under the deployment prefix in Redis, named by token id and never by token', async () => {
    const one = await api({ api: { rateLimits: { read: 3 } } });
    await get(one, '/v1/shots');
    const keys = await one.redis.keys(`{sc:${one.deployment}}:ratelimit:*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^\{sc:t-[0-9a-f]+\}:ratelimit:read:token:[0-9a-f]{16}$/);
    expect(keys[0]).not.toContain(tokens.td);
  });

  it('counts requests without a valid token per address, which bounds guessing tokens', async () => {
    const one = await api({ api: { rateLimits: { unauthenticated: 4 } } });
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await get(one, '/v1/shots', `tok-guess-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    // A valid token is on its own budget, not its address's.
    expect((await get(one, '/v1/shots')).status).toBe(200);
    const text = await metricsOf(one);
    expect(metric(text, 'shotcaller_rate_limited_total{limit="unauthenticated"}')).toBe(2);
  });

  it('lets probes through however often an orchestrator calls them', async () => {
    const one = await api({ api: { rateLimits: { unauthenticated: 1, read: 1 } } });
    for (let i = 0; i < 5; i += 1) expect((await get(one, '/healthz', null)).status).toBe(200);
  });
});

describe('failed logins', () => {
  it('are counted in /metrics by reason, and logged without the token', async () => {
    const log = new PassThrough();
    const lines: string[] = [];
    log.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const one = await api({ logTo: log });
    const secret = 'tok-almost-right-4f1c9e';
    await get(one, '/v1/shots', secret);
    await get(one, '/v1/shots', secret);
    await get(one, '/v1/shots', null);
    await fetch(`${one.url}/v1/shots`, { headers: { authorization: `Basic ${btoa('ana:pw')}` } });

    const text = await metricsOf(one);
    expect(metric(text, 'shotcaller_auth_failures_total{reason="unknown_token"}')).toBe(2);
    expect(metric(text, 'shotcaller_auth_failures_total{reason="missing_token"}')).toBe(1);
    expect(metric(text, 'shotcaller_auth_failures_total{reason="not_bearer"}')).toBe(1);
    expect(text).not.toContain(secret);

    await eventually(
      () => lines.filter((l) => l.includes('authentication failed')),
      (found) => found.length >= 3,
      'auth failures in the log',
    );
    const failures = lines.filter((l) => l.includes('authentication failed')).map((l) => JSON.parse(l));
    expect(failures.map((f) => f.reason).sort()).toEqual(['missing_token', 'not_bearer', 'unknown_token']);
    expect(failures[0]).toMatchObject({ level: 40, ip: '127.0.0.1', route: '/v1/shots' });
    expect(lines.join('\n')).not.toContain(secret);
    expect(lines.join('\n')).not.toContain(btoa('ana:pw'));
  });
});

describe('timeouts', () => {
  /** A raw connection that sends `text` and reports when the server closes it. */
  const rawClient = (base: Harness, text: string) => {
    const { port } = new URL(base.url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.write(text);
    const received: Buffer[] = [];
    socket.on('data', (d) => received.push(d));
    socket.on('error', () => {});
    const closed = new Promise<string>((resolve) =>
      socket.on('close', () => resolve(Buffer.concat(received).toString())),
    );
    return { socket, closed };
  };

  it('closes a connection whose headers trickle in slower than headersMs', async () => {
    const one = await api({ api: { timeouts: { headersMs: 400, requestMs: 1_000 } } });
    const startedAt = Date.now();
    const { socket, closed } = rawClient(one, 'GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 100);
    const answer = await closed;
    clearInterval(drip);
    expect(answer).toMatch(/^HTTP\/1.1 408/);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });

  it('closes a connection whose body never finishes within requestMs', async () => {
    const one = await api({ api: { timeouts: { headersMs: 500, requestMs: 800 } } });
    const { closed } = rawClient(
      one,
      `POST /v1/shots HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${tokens.td}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"show":`,
    );
    expect(await closed).toMatch(/^HTTP\/1.1 408/);
  });

  it('answers 503 with a problem document when a handler runs past handlerMs', async () => {
    const slow = route({
      method: 'GET',
      url: '/test/slow',
      summary: 'slow',
      tag: 'test',
      permission: 'shots:read',
      responses: { 200: { description: 'late' } },
      handler: async () => {
        await new Promise((r) => setTimeout(r, 1_500));
        return { late: true };
      },
    });
    const one = await api({ api: { timeouts: { handlerMs: 200 } }, extraRoutes: [slow] });
    const response = await get(one, '/test/slow');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'handler_timeout', status: 503 });
  });
});

describe('live event streams', () => {
  const openStream = (base: Harness, token: string): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const { port } = new URL(base.url);
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write(
          `GET /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`,
        ),
      );
      socket.on('error', () => {});
      socket.once('data', (d) => {
        if (!d.toString().startsWith('HTTP/1.1 200')) reject(new Error(d.toString().split('\r\n')[0]));
        else resolve(socket);
      });
    });

  it('drops a client that stops reading, instead of buffering the log for it', async () => {
    const one = await api({ api: { sse: { stallMs: 500, maxBufferedBytes: 4 * 1024 * 1024 } } });
    const socket = await openStream(one, tokens.admin);
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.pause();
    // Events of 64 KiB each until the kernel's buffers on both sides are full and the server's own fills.
    const stream = eventLogKeys(one.deployment).stream;
    const big = 'x'.repeat(64 * 1024);
    const event = JSON.stringify({ type: 'io.shotcaller.shot.noted', show: 'NTH', data: { note: big } });
    for (let batch = 0; batch < 10; batch += 1) {
      const pipeline = one.redis.pipeline();
      for (let i = 0; i < 50; i += 1) pipeline.xadd(stream, '*', 'event', event);
      await pipeline.exec();
      const text = await metricsOf(one);
      if (/shotcaller_sse_dropped_total\{reason="(stalled|overflow)"\} [1-9]/.test(text)) break;
    }
    await eventually(
      () => metricsOf(one),
      (text) => /shotcaller_sse_dropped_total\{reason="(stalled|overflow)"\} 1/.test(text),
      'the stalled stream dropped',
    );
    socket.resume();
    await ended;
    await eventually(
      () => metricsOf(one),
      (text) => metric(text, 'shotcaller_sse_streams') === 0,
      'no stream left open',
    );
  });

  it('refuses a caller more streams than api.sse.maxPerCaller on one replica', async () => {
    const one = await api({ api: { sse: { maxPerCaller: 2 } } });
    const held = [await openStream(one, tokens.td), await openStream(one, tokens.td)];
    const third = await get(one, '/v1/events');
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await third.json()).toMatchObject({ code: 'rate_limited' });
    // Another caller is not affected, and closing a stream frees a place.
    const other = await openStream(one, tokens.admin);
    held[0]!.destroy();
    const freed = await eventually(
      () => openStream(one, tokens.td).catch(() => undefined),
      (socket) => socket !== undefined,
      'a freed stream place',
    );
    for (const s of [...held, other, freed!]) s.destroy();
  });
});
