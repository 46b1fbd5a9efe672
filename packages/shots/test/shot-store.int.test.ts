import { IdempotencyConflict, IllegalTransition, pending, ShotStore } from '@shotcaller/shots';
import { aShotRequest, testRedis } from '@shotcaller/testkit';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let redis: Redis;
let store: ShotStore;
const now = new Date('2026-11-25T10:00:00Z');
const opts = { submittedBy: 'td@studio.test', source: '/test', now };

beforeEach(() => {
  const r = testRedis();
  redis = r.redis;
  store = new ShotStore(redis, r.deployment);
});
afterEach(() => redis.disconnect());

describe('the shot store', () => {
  it('creates a shot and its submitted event together', async () => {
    const { shot, created } = await store.create(aShotRequest(), opts);
    expect(created).toBe(true);
    expect(shot.state).toBe('submitted');
    const history = await store.history(shot.id);
    expect(history.map((h) => h.event.type)).toEqual(['io.shotcaller.shot.submitted.v1']);
    expect(await store.get(shot.id)).toEqual(shot);
  });

  it('makes one shot from the same request sent twice', async () => {
    const request = aShotRequest();
    const first = await store.create(request, opts);
    const second = await store.create(request, opts);
    expect(second.created).toBe(false);
    expect(second.shot.id).toBe(first.shot.id);
    expect(await store.count()).toBe(1);
    expect(await store.log.length()).toBe(1);
  });

  it('refuses the same idempotency key for a different request', async () => {
    const request = aShotRequest();
    await store.create(request, opts);
    await expect(store.create({ ...request, brief: 'Something else entirely' }, opts)).rejects.toThrow(
      IdempotencyConflict,
    );
  });

  it('moves a shot and appends the events of the move in one step', async () => {
    const { shot } = await store.create(aShotRequest(), opts);
    const { shot: routing } = await store.change(shot.id, {
      to: 'routing',
      events: () => [],
      source: '/test',
      now,
    });
    const { shot: queued, events } = await store.change(shot.id, {
      to: 'queued',
      patch: () => ({ route: 'genai' }),
      events: (s) => [
        pending('io.shotcaller.shot.queued.v1', { shotId: s.id, route: 'genai', queue: 'genai' }),
      ],
      source: '/test',
      now,
    });
    expect(routing.version).toBe(2);
    expect(queued).toMatchObject({ state: 'queued', route: 'genai', version: 3 });
    expect(events[0]).toMatchObject({ subject: shot.id, correlationid: shot.id, show: 'NTH' });
    expect(
      (await store.list({ state: 'queued', visibleShows: '*', limit: 10 })).shots.map((s) => s.id),
    ).toEqual([shot.id]);
    expect((await store.list({ state: 'submitted', visibleShows: '*', limit: 10 })).shots).toEqual([]);
  });

  it('keeps a record plain while the shot passes through, compact once it rests, and reads it alike', async () => {
    const { shot } = await store.create(aShotRequest(), opts);
    const firstByte = async () => (await redis.hgetBuffer(store.keys.shot(shot.id), 'record'))![0];
    const plain = '{'.charCodeAt(0);
    expect(await firstByte()).toBe(plain);
    const move = (
      to: 'routing' | 'queued' | 'in-progress' | 'delivered' | 'held',
      route?: 'genai' | 'vendor',
    ) =>
      store.change(shot.id, {
        to,
        ...(route ? { patch: () => ({ route }) } : {}),
        events: () => [],
        source: '/test',
        now,
      });
    await move('routing');
    await move('queued', 'genai');
    expect(await firstByte()).toBe(plain);
    const { shot: running } = await move('in-progress');
    // A genai task runs for seconds or minutes; a vendor's ticket for days (below).
    expect(await firstByte()).toBe(plain);
    expect(await store.get(shot.id)).toEqual(running);
    const { shot: delivered } = await move('delivered');
    expect(await firstByte()).not.toBe(plain);
    expect(await store.get(shot.id)).toEqual(delivered);

    const vendor = await store.create(aShotRequest({ shot: 'V010' }), opts);
    await store.change(vendor.shot.id, { to: 'routing', events: () => [], source: '/test', now });
    await store.change(vendor.shot.id, {
      to: 'queued',
      patch: () => ({ route: 'vendor' }),
      events: () => [],
      source: '/test',
      now,
    });
    const { shot: withVendor } = await store.change(vendor.shot.id, {
      to: 'in-progress',
      events: () => [],
      source: '/test',
      now,
    });
    expect((await redis.hgetBuffer(store.keys.shot(vendor.shot.id), 'record'))![0]).not.toBe(plain);
    expect(await store.get(vendor.shot.id)).toEqual(withVendor);
  });

  it('appends a chosen event id once, even when a move brings it again', async () => {
    const { shot } = await store.create(aShotRequest(), opts);
    const cancelled = (id: string) =>
      pending('io.shotcaller.shot.cancelled.v1', { shotId: shot.id, by: 'td', reason: 'x' }, id);
    // A rewrite in place brings the same chosen id twice, and once more on a second try.
    await store.change(shot.id, { events: () => [cancelled('c-1'), cancelled('c-1')], source: '/test', now });
    await store.change(shot.id, { events: () => [cancelled('c-1')], source: '/test', now });
    const ids = (await store.history(shot.id)).map((h) => h.event.id);
    expect(ids.filter((id) => id === 'c-1')).toHaveLength(1);
    expect(await store.log.length()).toBe(2);
    // With the move's own guarantee, nothing is looked up: a new id is appended as it is.
    await store.change(shot.id, {
      events: () => [cancelled('c-2')],
      idsUniqueToMove: true,
      source: '/test',
      now,
    });
    expect((await store.history(shot.id)).map((h) => h.event.id).slice(1)).toEqual(['c-1', 'c-2']);
  });

  it('refuses an illegal move and writes nothing', async () => {
    const { shot } = await store.create(aShotRequest(), opts);
    const before = await store.log.length();
    await expect(
      store.change(shot.id, {
        to: 'approved',
        events: (s) => [pending('io.shotcaller.shot.approved.v1', { shotId: s.id, by: 'x' })],
        source: '/test',
        now,
      }),
    ).rejects.toThrow(IllegalTransition);
    expect(await store.log.length()).toBe(before);
    expect((await store.require(shot.id)).state).toBe('submitted');
  });

  it('lets only one of two racing writers cancel a shot', async () => {
    const { shot } = await store.create(aShotRequest(), opts);
    const cancel = () =>
      store.change(shot.id, {
        to: 'cancelled',
        events: (s) => [
          pending('io.shotcaller.shot.cancelled.v1', { shotId: s.id, by: 'td', reason: 'cut' }),
        ],
        source: '/test',
        now,
      });
    const results = await Promise.allSettled([cancel(), cancel(), cancel()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(IllegalTransition);
    }
    const types = (await store.history(shot.id)).map((h) => h.event.type);
    expect(types.filter((t) => t === 'io.shotcaller.shot.cancelled.v1')).toHaveLength(1);
  });

  it('refuses a move judged from a state the shot has since left, even where the lifecycle allows it', async () => {
    const { shot } = await store.create(aShotRequest(), opts);
    // Two routers read the submitted shot and both decide to hold it: held → routing → held is legal
    // (consent arrives), so only `from` keeps the second from holding it again.
    const hold = () =>
      store.change(shot.id, {
        to: 'held',
        via: 'routing',
        from: ['submitted', 'routing', 'rerouted'],
        current: shot,
        events: (s) => [
          pending('io.shotcaller.shot.held.v1', {
            shotId: s.id,
            precheck: { outcome: 'hold', findings: [], consentIds: [], approvalIds: [] },
            reason: 'no consent',
          }),
        ],
        source: '/test',
        now,
      });
    const results = await Promise.allSettled([hold(), hold()]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(IllegalTransition);
    expect(refused.reason.message).toMatch(/is held and cannot become held/);
    const types = (await store.history(shot.id)).map((h) => h.event.type);
    expect(types.filter((t) => t === 'io.shotcaller.shot.held.v1')).toHaveLength(1);
    expect((await store.require(shot.id)).version).toBe(shot.version + 1);
  });

  it('pages through a show newest first, and hides shows the caller may not see', async () => {
    for (let i = 0; i < 7; i++) {
      await store.create(aShotRequest({ show: 'NTH' }), { ...opts, now: new Date(now.getTime() + i * 1000) });
    }
    await store.create(aShotRequest({ show: 'OTHER' }), opts);
    const first = await store.list({ show: 'NTH', visibleShows: ['NTH'], limit: 5 });
    expect(first.shots).toHaveLength(5);
    expect(first.nextOffset).toBe(5);
    const second = await store.list({
      show: 'NTH',
      visibleShows: ['NTH'],
      limit: 5,
      offset: first.nextOffset,
    });
    expect(second.shots).toHaveLength(2);
    expect(second.nextOffset).toBeUndefined();
    const created = [...first.shots, ...second.shots].map((s) => s.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    const all = await store.list({ visibleShows: ['NTH'], limit: 100 });
    expect(all.shots.every((s) => s.show === 'NTH')).toBe(true);
    expect(all.shots).toHaveLength(7);
  });
});

describe('listing shots across shows', () => {
  const at = (minute: number) => ({ ...opts, now: new Date(Date.UTC(2026, 10, 25, 10, minute)) });

  it('merges the shows newest first, pages through them, and shows a caller only its shows', async () => {
    const made: Array<{ id: string; show: string }> = [];
    for (let i = 0; i < 9; i++) {
      const show = ['NTH', 'ABC', 'XYZ'][i % 3]!;
      const { shot } = await store.create(aShotRequest({ show, shot: `S_${i}` }), at(i));
      made.push({ id: shot.id, show });
    }
    const newest = [...made].reverse();
    const first = await store.list({ visibleShows: '*', limit: 4 });
    expect(first.shots.map((s) => s.id)).toEqual(newest.slice(0, 4).map((s) => s.id));
    const second = await store.list({ visibleShows: '*', limit: 4, offset: first.nextOffset! });
    expect(second.shots.map((s) => s.id)).toEqual(newest.slice(4, 8).map((s) => s.id));
    const last = await store.list({ visibleShows: '*', limit: 4, offset: second.nextOffset! });
    expect(last).toEqual({ shots: [expect.objectContaining({ id: newest[8]!.id })] });

    const mine = await store.list({ visibleShows: ['ABC', 'XYZ'], limit: 10 });
    expect(mine.shots.map((s) => s.id)).toEqual(newest.filter((s) => s.show !== 'NTH').map((s) => s.id));
    expect(await store.list({ visibleShows: ['ABC'], state: 'submitted', limit: 10 })).toEqual({
      shots: newest.filter((s) => s.show === 'ABC').map((s) => expect.objectContaining({ id: s.id })),
    });
    expect(await store.count()).toBe(9);
    expect(await store.count('submitted')).toBe(9);
  });

  it('moves shots an older version kept apart from their event index, once, and keeps their history', async () => {
    const { shot } = await store.create(aShotRequest({ show: 'OLD' }), opts);
    const cut = (s: { id: string }) => [
      pending('io.shotcaller.shot.cancelled.v1', { shotId: s.id, by: 'td', reason: 'cut' }, `cut-${s.id}`),
    ];
    await store.change(shot.id, { to: 'cancelled', events: cut, source: '/test', now });
    // As an older version left it: the shot in a hash of its own, a field per event in its index, and
    // no layout mark.
    const key = store.keys.shot(shot.id);
    const all = await redis.hgetallBuffer(key);
    const history = await store.log.bySubject(shot.id);
    const legacy = store.keys.legacyShot(shot.id);
    for (const field of ['state', 'record', 'version']) await redis.hset(legacy, field, all[field]!);
    await redis.del(key);
    for (const { entryId, event } of history) await redis.hset(key, event.id, entryId);
    await redis.del(store.keys.layout);
    expect(await store.get(shot.id)).toBeUndefined();

    expect(await store.upgradeShotKeys()).toBe(1);
    expect(await store.require(shot.id)).toMatchObject({ state: 'cancelled', version: 2 });
    expect(await redis.exists(legacy)).toBe(0);
    // A move that brings an event again finds it in the older index: appended once.
    await store.change(shot.id, { events: cut, source: '/test', now });
    expect((await store.history(shot.id)).map((h) => h.event.type)).toEqual([
      'io.shotcaller.shot.submitted.v1',
      'io.shotcaller.shot.cancelled.v1',
    ]);
    // Marked done: the next start does not walk the shots again.
    await redis.hset(legacy, 'state', 'submitted');
    expect(await store.upgradeShotKeys()).toBe(0);
    expect((await store.require(shot.id)).state).toBe('cancelled');
  });

  it('upgrades a deployment indexed by an older version: its shots are listed, the old indexes gone', async () => {
    const { shot } = await store.create(aShotRequest({ show: 'OLD' }), opts);
    // As an older version left it: deployment-wide indexes and no set of shows.
    await redis.del(store.keys.shows);
    await redis.zadd(store.keys.legacy.all, Date.parse(shot.createdAt), shot.id);
    await redis.zadd(store.keys.legacy.byState('submitted'), Date.parse(shot.createdAt), shot.id);
    expect((await store.list({ visibleShows: '*', limit: 10 })).shots).toEqual([]);

    expect(await store.upgradeIndexes()).toBe(1);
    expect((await store.list({ visibleShows: '*', limit: 10 })).shots.map((s) => s.id)).toEqual([shot.id]);
    expect(await redis.exists(store.keys.legacy.all, store.keys.legacy.byState('submitted'))).toBe(0);
    expect(await store.upgradeIndexes()).toBe(0);
  });
});
