import { PassThrough } from 'node:stream';
import { GenaiWorker, type GenaiWorkerOptions } from '@shotcaller/genai-worker';
import { createLogger } from '@shotcaller/platform';
import { eventually, testRedis } from '@shotcaller/testkit';
import { VendorWorker, type VendorWorkerOptions } from '@shotcaller/vendor-worker';
import { Redis } from 'ioredis';
import { afterEach, describe, it } from 'vitest';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A connection that may do anything but run scripts, which is how BullMQ takes and checks jobs. */
async function scriptlessConnection() {
  const { redis, deployment, url } = testRedis();
  cleanups.push(() => redis.disconnect());
  const user = `worker-${deployment}`;
  await redis.acl('SETUSER', user, 'on', '>secret', '~*', '&*', '+@all', '-@scripting');
  cleanups.push(() => redis.acl('DELUSER', user));
  const restricted = new Redis(url, { username: user, password: 'secret', maxRetriesPerRequest: null });
  cleanups.push(() => restricted.disconnect());
  return { restricted, deployment };
}

function capturedLogger() {
  const out = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  out.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().trim().split('\n')) lines.push(JSON.parse(line));
  });
  return { logger: createLogger({ destination: out }), lines };
}

const refused = (message: string) => (lines: Array<Record<string, unknown>>) =>
  lines.some((l) => l.msg === message && typeof l.queue === 'string' && /NOPERM/.test(String(l.err)));

describe('a queue worker that Redis refuses', () => {
  it('genai: logs the refusal with its queue', async () => {
    const { restricted, deployment } = await scriptlessConnection();
    const { logger, lines } = capturedLogger();
    // Only what the worker needs to start: no task reaches the rest.
    const options = { connection: restricted, redis: restricted, deployment, provider: 'local', logger };
    const worker = new GenaiWorker(options as unknown as GenaiWorkerOptions);
    worker.start();
    cleanups.push(() => worker.close());
    await eventually(() => lines, refused('genai queue worker error'), 'the refusal logged');
  });

  it('vendor: logs the refusal with its queue', async () => {
    const { restricted, deployment } = await scriptlessConnection();
    const { logger, lines } = capturedLogger();
    const options = { connection: restricted, deployment, logger };
    const worker = new VendorWorker(options as unknown as VendorWorkerOptions);
    worker.start();
    cleanups.push(() => worker.close());
    await eventually(() => lines, refused('vendor queue worker error'), 'the refusal logged');
  });
});
