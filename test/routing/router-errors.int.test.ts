import { PassThrough } from 'node:stream';
import { createLogger } from '@shotcaller/platform';
import { Router } from '@shotcaller/router';
import { createQueue, genaiQueueName, ShotStore } from '@shotcaller/shots';
import { aShotRequest, testRedis } from '@shotcaller/testkit';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the router meeting a Redis error', () => {
  it('logs, with the shot and the job, a superseded work job it could not withdraw', async () => {
    const { redis, deployment, url } = testRedis();
    cleanups.push(() => redis.disconnect());
    const store = new ShotStore(redis, deployment);
    const now = new Date();
    const { shot } = await store.create(aShotRequest(), {
      submittedBy: 'td@studio.test',
      source: '/test',
      now,
    });
    const common = { events: () => [], source: '/test', now };
    await store.change(shot.id, {
      to: 'queued',
      via: 'routing',
      patch: () => ({ route: 'genai', provider: 'local', workJobId: 'job-1' }),
      ...common,
    });
    await store.change(shot.id, { to: 'rerouted', patch: () => ({ forcedRoute: 'vendor' }), ...common });

    // The genai queue's connection may do anything but run scripts, which is how BullMQ removes a job.
    const user = `router-${deployment}`;
    await redis.acl('SETUSER', user, 'on', '>secret', '~*', '&*', '+@all', '-@scripting');
    cleanups.push(() => redis.acl('DELUSER', user));
    const restricted = new Redis(url, { username: user, password: 'secret', maxRetriesPerRequest: null });
    cleanups.push(() => restricted.disconnect());
    const genai = createQueue(genaiQueueName('local'), restricted, deployment);
    cleanups.push(() => genai.close());

    const out = new PassThrough();
    const lines: Array<Record<string, unknown>> = [];
    out.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().trim().split('\n')) lines.push(JSON.parse(line));
    });
    const router = new Router({
      redis,
      deployment,
      store,
      // Routing itself is not under test: stop right after the withdrawal.
      decider: {
        decide: async () => {
          throw new Error('no decision in this test');
        },
      },
      queueFor: () => genai,
      logger: createLogger({ destination: out }),
      consumerName: 'router-test',
    });

    await expect(router.route(shot.id)).rejects.toThrow('no decision in this test');
    await new Promise((r) => setImmediate(r));
    expect(lines).toContainEqual(
      expect.objectContaining({
        shotId: shot.id,
        jobId: 'job-1',
        err: expect.stringMatching(/NOPERM/),
        msg: 'superseded work job not withdrawn; its worker will skip it',
      }),
    );
  });
});
