import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

/** A connection to the Redis the test run started, and a deployment name no other test uses. */
export function testRedis(): { redis: Redis; deployment: string; url: string } {
  const url = inject('redisUrl');
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  return { redis, deployment: `t-${randomBytes(5).toString('hex')}`, url };
}

/** Waits for `condition` to hold, polling; fails with `what` after `timeoutMs`. Tests wait for facts, not for time. */
export async function eventually<T>(
  probe: () => Promise<T> | T,
  condition: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!condition(last)) {
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 25));
    last = await probe();
  }
  return last;
}
