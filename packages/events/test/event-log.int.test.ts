import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EventLog, type GroupConsumer } from '@shotcaller/events';
import { eventually, testRedis } from '@shotcaller/testkit';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aSubmittedEvent, aUsageEvent } from './event-factory';

let redis: Redis;
let url: string;
let log: EventLog;
let deployment: string;
const consumers: GroupConsumer[] = [];

beforeEach(() => {
  ({ redis, deployment, url } = testRedis());
  log = new EventLog(redis, { deployment });
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
  redis.disconnect();
});

function consume(
  group: string,
  name: string,
  handler: Parameters<EventLog['consumer']>[0]['handler'],
  extra = {},
) {
  const c = log.consumer({ group, consumer: name, handler, blockMs: 100, claimIdleMs: 300, ...extra });
  consumers.push(c);
  return c;
}

describe('the event log', () => {
  it('stores an event appended twice only once', async () => {
    const event = aUsageEvent(1);
    const first = await log.append(event);
    const second = await log.append(event);
    const [third] = await log.appendMany([event]);
    expect(first.appended).toBe(true);
    expect(second).toEqual({ entryId: first.entryId, appended: false });
    expect(third).toEqual({ entryId: first.entryId, appended: false });
    expect(await log.length()).toBe(1);
  });

  it('keeps every key of a deployment under one Redis Cluster hash tag', async () => {
    await log.append(aUsageEvent(1));
    const keys = await redis.keys(`*${deployment}*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key.startsWith(`{sc:${deployment}}:`)).toBe(true);
  });

  it('shares the work of one group between two consumers, each event handled once', async () => {
    await log.appendMany(Array.from({ length: 200 }, (_, i) => aUsageEvent(i)));
    const seenBy = new Map<string, string[]>();
    const record = (name: string) => async (e: { id: string }) => {
      seenBy.set(e.id, [...(seenBy.get(e.id) ?? []), name]);
      await new Promise((r) => setTimeout(r, 2));
    };
    await consume('budget', 'a', record('a'), { batchSize: 10 }).start();
    await consume('budget', 'b', record('b'), { batchSize: 10 }).start();
    await eventually(
      () => seenBy.size,
      (n) => n === 200,
      '200 events handled',
    );
    const counts = { a: 0, b: 0 };
    for (const names of seenBy.values()) {
      expect(names).toHaveLength(1);
      counts[names[0] as 'a' | 'b']++;
    }
    expect(counts.a).toBeGreaterThan(0);
    expect(counts.b).toBeGreaterThan(0);
    await eventually(
      () => log.groups(),
      (g) => g[0]?.pending === 0,
      'all acknowledged',
    );
  });

  it('hands a group only the types it asks for, and acknowledges the rest unread', async () => {
    await log.appendMany([aSubmittedEvent(1), aUsageEvent(1), aSubmittedEvent(2), aUsageEvent(2)]);
    const seen: string[] = [];
    await consume('routerish', 'r1', async (e) => void seen.push(e.subject!), {
      types: new Set(['io.shotcaller.shot.submitted.v1']),
    }).start();
    await eventually(
      () => log.groups(),
      (groups) => groups.some((g) => g.name === 'routerish' && g.lag === 0 && g.pending === 0),
      'every event acknowledged',
    );
    expect(seen).toEqual(['shot-1', 'shot-2']);
  });

  it('handles different subjects at once but each subject in log order, with concurrentSubjects', async () => {
    const events = Array.from({ length: 40 }, (_, i) => aUsageEvent(i % 4, 100 + i));
    await log.appendMany(events);
    const order = new Map<string, number[]>();
    let running = 0;
    let mostAtOnce = 0;
    await consume(
      'parallel',
      'p1',
      async (e) => {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((r) => setTimeout(r, 5));
        if (e.type === 'io.shotcaller.genai.usage.recorded.v1')
          order.set(e.subject!, [...(order.get(e.subject!) ?? []), e.data.cost.amountMinor]);
        running--;
      },
      { concurrentSubjects: true, batchSize: 50 },
    ).start();
    await eventually(
      () => [...order.values()].flat().length,
      (n) => n === 40,
      'every event handled',
    );
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(mostAtOnce).toBeLessThanOrEqual(4);
    for (const [subject, amounts] of order) {
      const n = Number(subject.split('-')[1]);
      expect(amounts).toEqual(Array.from({ length: 10 }, (_, j) => 100 + n + 4 * j));
    }
  });

  it('loses no event when a consumer process is killed with events in flight', async () => {
    const events = Array.from({ length: 20 }, (_, i) => aUsageEvent(i));
    await log.appendMany(events);
    const fixture = fileURLToPath(new URL('./fixtures/slow-consumer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, url, deployment, 'budget'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await eventually(
      () => log.groups(),
      (g) => (g[0]?.pending ?? 0) > 0,
      'the doomed consumer to take events',
    );
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const handled = new Set<string>();
    await consume('budget', 'survivor', async (e) => {
      handled.add(e.id);
    }).start();
    await eventually(
      () => handled.size,
      (n) => n === 20,
      'every event handled by the survivor',
    );
    expect([...handled].sort()).toEqual(events.map((e) => e.id).sort());
    await eventually(
      () => log.groups(),
      (g) => g[0]?.pending === 0 && g[0]?.lag === 0,
      'nothing left pending',
    );
  });

  it('dead-letters a poison event with its error after N tries and goes on with the rest', async () => {
    const events = Array.from({ length: 10 }, (_, i) => aUsageEvent(i));
    const poison = events[3]!;
    await log.appendMany(events);
    let attempts = 0;
    const handled = new Set<string>();
    await consume(
      'budget',
      'a',
      async (e) => {
        if (e.id === poison.id) {
          attempts++;
          throw new Error('rate card for provider "local" is missing');
        }
        handled.add(e.id);
      },
      { maxDeliveries: 3, claimIdleMs: 100 },
    ).start();
    const [dead] = await eventually(
      () => log.deadLetters('budget'),
      (d) => d.length === 1,
      'a dead letter',
    );
    expect(dead).toMatchObject({
      group: 'budget',
      eventId: poison.id,
      type: poison.type,
      deliveries: 3,
      error: 'rate card for provider "local" is missing',
    });
    expect(JSON.parse(dead!.json)).toEqual(poison);
    expect(attempts).toBe(3);
    expect(handled.size).toBe(9);
    await eventually(
      () => log.groups(),
      (g) => g[0]?.pending === 0,
      'the poison event acknowledged',
    );
  });

  it('hands a batch over whole, and one by one when that fails, so a poison event is dead-lettered alone', async () => {
    const events = Array.from({ length: 10 }, (_, i) => aUsageEvent(i));
    const poison = events[6]!;
    await log.appendMany(events);
    const batches: number[] = [];
    const single = new Set<string>();
    await consume(
      'budget',
      'a',
      async (e) => {
        if (e.id === poison.id) throw new Error('rate card for provider "local" is missing');
        single.add(e.id);
      },
      {
        maxDeliveries: 2,
        claimIdleMs: 100,
        batchSize: 50,
        batchHandler: async (batch: readonly { id: string }[]) => {
          batches.push(batch.length);
          if (batch.some((e) => e.id === poison.id)) throw new Error('one of these is poison');
        },
      },
    ).start();
    await eventually(
      () => log.deadLetters('budget'),
      (d) => d.length === 1,
      'the poison event dead-lettered',
    );
    // The whole batch was tried together first; its other nine events went on one by one.
    expect(batches[0]).toBe(10);
    expect([...single].sort()).toEqual(
      events
        .filter((e) => e !== poison)
        .map((e) => e.id)
        .sort(),
    );
    expect((await log.deadLetters('budget'))[0]).toMatchObject({ eventId: poison.id, deliveries: 2 });
    await eventually(
      () => log.groups(),
      (g) => g[0]?.pending === 0,
      'nothing left pending',
    );
  });

  it('dead-letters an event that does not match the catalogue without calling the handler', async () => {
    const bad = { ...aUsageEvent(1), data: { shotId: 'x' } };
    await log.append(bad as never);
    let called = 0;
    await consume('budget', 'a', async () => {
      called++;
    }).start();
    const [dead] = await eventually(
      () => log.deadLetters('budget'),
      (d) => d.length === 1,
      'a dead letter',
    );
    expect(dead!.error).toMatch(/data\.taskId/);
    expect(called).toBe(0);
  });

  it('rebuilds by replay a projection identical to the one built live', async () => {
    const live = new Map<string, number>();
    const apply = (map: Map<string, number>, e: Awaited<ReturnType<typeof aUsageEvent>>) => {
      if (e.type === 'io.shotcaller.genai.usage.recorded.v1') {
        map.set(e.data.shotId, (map.get(e.data.shotId) ?? 0) + e.data.cost.amountMinor);
      } else if (e.type === 'io.shotcaller.shot.submitted.v1') {
        map.set(`submitted:${e.data.shotId}`, 1);
      }
    };
    await consume('projection', 'a', async (e) => apply(live, e)).start();
    const events = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 0 ? aSubmittedEvent(i) : aUsageEvent(i % 50, i),
    );
    for (let i = 0; i < events.length; i += 50) await log.appendMany(events.slice(i, i + 50));
    await eventually(
      () => log.groups(),
      (g) => g[0]?.lag === 0 && g[0]?.pending === 0,
      'the live projection caught up',
    );

    const rebuilt = new Map<string, number>();
    for await (const { event } of log.replay({ batch: 64 })) apply(rebuilt, event);
    expect(rebuilt).toEqual(live);
    expect(rebuilt.size).toBeGreaterThan(50);
  });

  it('replays from a given entry id onwards', async () => {
    const results = await log.appendMany(Array.from({ length: 10 }, (_, i) => aUsageEvent(i)));
    const ids: string[] = [];
    for await (const { event } of log.replay({ after: results[6]!.entryId })) ids.push(event.id);
    expect(ids).toHaveLength(3);
    const from: string[] = [];
    for await (const { entryId } of log.replay({ from: results[6]!.entryId })) from.push(entryId);
    expect(from[0]).toBe(results[6]!.entryId);
  });

  it('never trims an event that some group has not acknowledged', async () => {
    const events = Array.from({ length: 40 }, (_, i) => aUsageEvent(i));
    await log.appendMany(events);
    const slowSeen = new Set<string>();
    await consume('fast', 'f', async () => {}).start();
    // The slow group acknowledges the first 25 events and fails on the rest for now.
    await consume(
      'slow',
      's',
      async (e) => {
        if (events.findIndex((x) => x.id === e.id) >= 25) throw new Error('not yet');
        slowSeen.add(e.id);
      },
      { claimIdleMs: 60_000, maxDeliveries: 100 },
    ).start();
    await eventually(
      () => log.groups(),
      (g) => g.find((x) => x.name === 'fast')?.pending === 0 && g.every((x) => x.lag === 0),
      'both groups read everything',
    );
    await eventually(
      () => slowSeen.size,
      (n) => n === 25,
      'the slow group handled 25',
    );
    // A batch is acknowledged once it is through: wait until only the 15 failing events are pending.
    await eventually(
      async () => (await log.groups()).find((g) => g.name === 'slow'),
      (g) => g?.pending === 15 && g.lag === 0,
      'the slow group acknowledged the 25 it handled',
    );

    const removed = await log.trim();
    expect(removed).toBe(25);
    const left: string[] = [];
    for await (const { event } of log.replay()) left.push(event.id);
    expect(left).toEqual(events.slice(25).map((e) => e.id));
    // A trimmed event's id leaves its subject's index too, so no index outgrows the log.
    for (let i = 0; i < 40; i++) {
      expect(await log.has(events[i]!.id, `shot-${i}`)).toBe(i >= 25);
      // An index left with no entry is gone.
      expect(await redis.exists(log.keys.subject(`shot-${i}`))).toBe(i < 25 ? 0 : 1);
    }
  });

  it('keeps acknowledged events younger than the retention period', async () => {
    await log.appendMany(Array.from({ length: 5 }, (_, i) => aUsageEvent(i)));
    await consume('fast', 'f', async () => {}).start();
    await eventually(
      () => log.groups(),
      (g) => g[0]?.lag === 0 && g[0]?.pending === 0,
      'caught up',
    );
    expect(await log.trim({ retentionMs: 60 * 60 * 1000 })).toBe(0);
    expect(await log.trim({ retentionMs: 1, now: Date.now() + 1000 })).toBe(5);
  });
});

describe('a subject history', () => {
  it('lists the events about one shot in order, without scanning the log', async () => {
    const events = Array.from({ length: 9 }, (_, i) => aUsageEvent(i % 3));
    await log.appendMany(events);
    await log.append(events[0]!);
    const history = await log.bySubject('shot-1');
    expect(history.map((h) => h.event.id)).toEqual([events[1]!.id, events[4]!.id, events[7]!.id]);
  });
});

describe('a log written by an older version', () => {
  it('reads, de-duplicates against and trims an index an older version kept as a field per event', async () => {
    const [older, newer] = [aUsageEvent(3, 100), aUsageEvent(3, 200)];
    const subject = older.subject!;
    // As the older script left it: the entry, and its id as a field of the subject's hash.
    const entry = await redis.xadd(
      log.keys.stream,
      '*',
      'id',
      older.id,
      'subject',
      subject,
      'event',
      JSON.stringify(older),
    );
    await redis.hset(log.keys.subject(subject), older.id, entry!);
    // Unicode in an id: the packed index counts its bytes.
    const accented = { ...newer, id: `${newer.id}-é` };

    expect(await log.append(older)).toMatchObject({ appended: false, entryId: entry });
    expect((await log.append(accented)).appended).toBe(true);
    expect((await log.append(accented)).appended).toBe(false);
    expect((await log.bySubject(subject)).map((e) => e.event.id)).toEqual([older.id, accented.id]);
    expect(await log.has(older.id, subject)).toBe(true);

    await consume('all', 'a', async () => {}).start();
    await eventually(
      () => log.groups(),
      (g) => g[0]?.pending === 0 && g[0]?.lag === 0,
      'everything acknowledged',
    );
    expect(await log.trim()).toBe(2);
    expect(await log.has(older.id, subject)).toBe(false);
    expect(await log.has(accented.id, subject)).toBe(false);
    expect(await redis.exists(log.keys.subject(subject))).toBe(0);
  });

  it('still lists the history of a shot whose events were indexed in a list', async () => {
    const event = aUsageEvent(7);
    // As the older append script wrote it: the entry's fields without a subject, and a list per subject.
    const entry = await redis.xadd(
      log.keys.stream,
      '*',
      'id',
      event.id,
      'type',
      event.type,
      'event',
      JSON.stringify(event),
    );
    await redis.rpush(log.keys.legacySubject('shot-7'), entry!);
    const history = await log.bySubject('shot-7');
    expect(history).toEqual([{ entryId: entry, event }]);
  });
});
