import { describe, expect, it } from 'vitest';
import { type RateLimitWait, retryAfterMs, ShotcallerClient } from '../src';

const problem429 = (retryAfter: string | null) =>
  new Response(
    JSON.stringify({
      type: 'urn:shotcaller:problem:rate_limited',
      title: 'Too many requests',
      status: 429,
      detail: 'This token has made too many changes; try again in 1 s',
      code: 'rate_limited',
      retryAfterSeconds: 1,
    }),
    {
      status: 429,
      headers: {
        'content-type': 'application/problem+json',
        ...(retryAfter === null ? {} : { 'retry-after': retryAfter }),
      },
    },
  );

/** A fetch that answers from a script, recording the calls. */
function scripted(...answers: Array<() => Response>) {
  const calls: Array<{ url: string; body: unknown }> = [];
  const fetch = (async (url: string, init?: RequestInit) => {
    calls.push({ url, body: init?.body });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    return next();
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const me = () => new Response(JSON.stringify({ ok: true }), { status: 200 });

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(' 0 ')).toBe(0);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('the client waits as long as the server asks, then sends the same request again', async () => {
    const { fetch, calls } = scripted(
      () => problem429('0'),
      () => problem429('0'),
      me,
    );
    const waits: RateLimitWait[] = [];
    const client = new ShotcallerClient({
      baseUrl: 'http://api',
      token: 't',
      fetch,
      onRateLimited: (w) => waits.push(w),
    });
    const { data } = await client.request('POST', '/v1/shots', (await import('zod')).z.unknown(), { a: 1 });
    expect(data).toEqual({ ok: true });
    expect(calls).toHaveLength(3);
    expect(calls.map((c) => c.body)).toEqual(['{"a":1}', '{"a":1}', '{"a":1}']);
    expect(waits.map((w) => [w.attempt, w.status, w.retryAfterMs, w.method, w.path])).toEqual([
      [1, 429, 0, 'POST', '/v1/shots'],
      [2, 429, 0, 'POST', '/v1/shots'],
    ]);
  });

  it('gives up with the rate_limited problem after maxRetries, or at once when the wait is too long or unstated', async () => {
    const three = scripted(
      () => problem429('0'),
      () => problem429('0'),
    );
    const once = new ShotcallerClient({
      baseUrl: 'http://api',
      token: 't',
      fetch: three.fetch,
      maxRetries: 1,
    });
    await expect(once.getShot('x')).rejects.toMatchObject({ status: 429, code: 'rate_limited' });
    expect(three.calls).toHaveLength(2);

    for (const header of ['3600', null]) {
      const { fetch, calls } = scripted(() => problem429(header));
      const client = new ShotcallerClient({ baseUrl: 'http://api', token: 't', fetch });
      await expect(client.getShot('x')).rejects.toMatchObject({ status: 429, code: 'rate_limited' });
      expect(calls).toHaveLength(1);
    }
  });
});
