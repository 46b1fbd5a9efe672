import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '@shotcaller/contracts';
import { startRedisServer } from '@shotcaller/engines';
import { EventLog, type GroupConsumer } from '@shotcaller/events';
import { eventually, testRedis } from '@shotcaller/testkit';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { aUsageEvent } from './event-factory';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A consumer that records what it handled and every error it was told about. */
function recordingConsumer(log: EventLog, extra: Partial<Parameters<EventLog['consumer']>[0]> = {}) {
  const handled: string[] = [];
  const errors: string[] = [];
  const consumer: GroupConsumer = log.consumer({
    group: 'g',
    consumer: 'c1',
    blockMs: 100,
    handler: async (event) => {
      handled.push(event.id);
    },
    onError: (error) => errors.push(errorMessage(error)),
    ...extra,
  });
  cleanups.push(() => consumer.stop());
  /** Appends `event` and waits until the consumer has handled it. */
  const handles = async (event: ReturnType<typeof aUsageEvent>, what: string) => {
    await log.append(event);
    await eventually(
      () => handled,
      (ids) => ids.includes(event.id),
      what,
    );
  };
  return { consumer, handled, errors, handles };
}

describe('a group consumer meeting Redis errors', () => {
  it('reports a lost connection and, once Redis is back, handles what comes next', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'consumer-errors-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    let server = await startRedisServer({ dataDir });
    cleanups.push(() => server.stop());
    const redis = new Redis(server.url, { maxRetriesPerRequest: null });
    cleanups.push(() => redis.disconnect());
    // The appending side loses the server too; its commands wait for it (maxRetriesPerRequest: null).
    const appenderErrors: Error[] = [];
    redis.on('error', (error: Error) => appenderErrors.push(error));
    const log = new EventLog(redis, { deployment: 'drop' });
    const { consumer, handled, errors, handles } = recordingConsumer(log);
    await consumer.start();
    const before = aUsageEvent(1);
    await handles(before, 'the first event handled');

    await server.stop();
    await eventually(
      () => errors,
      (e) => e.some((m) => /ECONNREFUSED/.test(m)),
      'the lost connection reported',
    );
    server = await startRedisServer({ port: server.port, dataDir });

    const after = aUsageEvent(2);
    await handles(after, 'an event appended after the restart handled');
    expect(handled.filter((id) => id === before.id)).toHaveLength(1);
  });

  it('reports Redis refusing to hand back its pending events, and resumes them once allowed', async () => {
    const { redis, deployment, url } = testRedis();
    cleanups.push(() => redis.disconnect());
    const log = new EventLog(redis, { deployment });
    // Left pending for c1: its handler failed, and nobody claims it back within the test (claimIdleMs).
    const first = recordingConsumer(log, {
      claimIdleMs: 60_000,
      handler: async () => {
        throw new Error('the handler failed');
      },
    });
    await first.consumer.start();
    const event = aUsageEvent(1);
    await log.append(event);
    await eventually(
      () => first.errors,
      (e) => e.includes('the handler failed'),
      'the handler failure reported',
    );
    await first.consumer.stop();

    // A user that may do everything but read its group: c1 restarts under it.
    const user = `consumer-${deployment}`;
    await redis.acl('SETUSER', user, 'on', '>secret', '~*', '&*', '+@all', '-xreadgroup');
    cleanups.push(() => redis.acl('DELUSER', user));
    const restricted = new Redis(url, { username: user, password: 'secret', maxRetriesPerRequest: null });
    cleanups.push(() => restricted.disconnect());
    const again = recordingConsumer(new EventLog(restricted, { deployment }), { claimIdleMs: 60_000 });
    await again.consumer.start();
    await eventually(
      () => again.errors,
      (e) => e.some((m) => /NOPERM/.test(m)),
      'the refusal reported',
    );
    expect(again.handled).toEqual([]);

    await redis.acl('SETUSER', user, '+xreadgroup');
    await eventually(
      () => again.handled,
      (ids) => ids.includes(event.id),
      'the pending event resumed',
    );
  });

  it('makes its group again when the stream’s master has lost it, and tells its owner to catch up', async () => {
    const { redis, deployment } = testRedis();
    cleanups.push(() => redis.disconnect());
    const log = new EventLog(redis, { deployment });
    let caughtUp = 0;
    const { consumer, errors, handles } = recordingConsumer(log, {
      startAt: '$',
      onGroupCreatedAgain: async () => {
        caughtUp++;
      },
    });
    await consumer.start();
    const before = aUsageEvent(1);
    await handles(before, 'the first event handled');

    // As a replica promoted without the group would answer.
    await redis.xgroup('DESTROY', log.keys.stream, 'g');
    await eventually(
      () => caughtUp,
      (n) => n === 1,
      'the owner told the group was made again',
    );
    expect(errors.some((m) => /NOGROUP/.test(m))).toBe(true);
    const after = aUsageEvent(2);
    await handles(after, 'an event after the group was made again handled');
  });
});
