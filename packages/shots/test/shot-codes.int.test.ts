import { shotCodeOf } from '@shotcaller/contracts';
import { IdempotencyConflict, pending, ShotCodeTaken, ShotStore } from '@shotcaller/shots';
import { aShotRequest, testRedis } from '@shotcaller/testkit';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let redis: Redis;
let deployment: string;
let store: ShotStore;
const now = new Date('2026-11-25T10:00:00Z');
const opts = { submittedBy: 'td@studio.test', source: '/test', now };
/** The code of the issue: five cards of it on the board. */
const bad = { episode: 'EP01', sequence: 'BAD', shot: 'BAD_9999' } as const;

beforeEach(() => {
  const r = testRedis();
  redis = r.redis;
  deployment = r.deployment;
  store = new ShotStore(redis, deployment);
});
afterEach(() => redis.disconnect());

const refusal = async (p: Promise<unknown>): Promise<ShotCodeTaken> => {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShotCodeTaken);
  return error as ShotCodeTaken;
};

const cancel = (id: string) =>
  store.change(id, {
    to: 'cancelled',
    events: () => [pending('io.shotcaller.shot.cancelled.v1', { shotId: id, by: 'td', reason: 'cut' })],
    source: '/test',
    now,
  });

describe('one live shot per shot code', () => {
  it('refuses a second shot of a live code under a new key, naming the live shot and where it is', async () => {
    const { shot: live } = await store.create(aShotRequest(bad), opts);
    const before = await store.log.length();
    const taken = await refusal(store.create(aShotRequest({ ...bad, brief: 'Again, by another TD' }), opts));
    expect(taken).toMatchObject({
      code: 'shot_code_taken',
      shotCode: 'NTH/EP01/BAD/BAD_9999',
      shotId: live.id,
      state: 'submitted',
      href: `/v1/shots/${live.id}`,
    });
    expect(taken.message).toContain(`POST /v1/shots/${live.id}/revise`);
    expect(taken.message).toContain(`POST /v1/shots/${live.id}/cancel`);
    expect(await store.count()).toBe(1);
    expect(await store.log.length()).toBe(before);
  });

  it('lets one of two racing submissions of a code win, each on its own connection', async () => {
    const other = testRedis().redis;
    try {
      const stores = [store, new ShotStore(other, deployment)];
      const results = await Promise.allSettled(stores.map((s) => s.create(aShotRequest(bad), opts)));
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const won = results.find((r) => r.status === 'fulfilled')!;
      const lost = results.find((r) => r.status === 'rejected')!;
      expect(lost.reason).toBeInstanceOf(ShotCodeTaken);
      expect(lost.reason.shotId).toBe(won.value.shot.id);
      expect(await store.count()).toBe(1);
    } finally {
      other.disconnect();
    }
  });

  it('still answers the same request sent again with its key with the shot it made', async () => {
    const request = aShotRequest(bad);
    const first = await store.create(request, opts);
    const again = await store.create(request, opts);
    expect(again).toEqual({ shot: first.shot, created: false });
    // The key is checked before the code: the key's own shot is no conflict, another request is.
    await expect(store.create({ ...request, brief: 'Changed' }, opts)).rejects.toThrow(IdempotencyConflict);
  });

  it('frees a cancelled shot’s code, so it can be submitted again', async () => {
    const { shot: first } = await store.create(aShotRequest(bad), opts);
    await cancel(first.id);
    const { shot: second, created } = await store.create(aShotRequest(bad), opts);
    expect(created).toBe(true);
    expect(shotCodeOf(second.request)).toBe(shotCodeOf(first.request));
    expect((await refusal(store.create(aShotRequest(bad), opts))).shotId).toBe(second.id);
  });

  it('lets a refused request keep no hold on its key: sent again once the code is free, it makes the shot', async () => {
    const { shot: live } = await store.create(aShotRequest(bad), opts);
    const refused = aShotRequest({ ...bad, brief: 'The second TD’s take' });
    await refusal(store.create(refused, opts));
    await cancel(live.id);
    const { shot, created } = await store.create(refused, opts);
    expect(created).toBe(true);
    expect(shot.request.brief).toBe('The second TD’s take');
  });

  it('keeps an approved shot’s code taken, and says a redo needs a code of its own', async () => {
    const { shot } = await store.create(aShotRequest(bad), opts);
    // Approved is final; the path there does not matter to the code index, so it is written directly.
    for (const to of ['routing', 'queued', 'in-progress', 'delivered', 'approved'] as const)
      await store.change(shot.id, { to, events: () => [], source: '/test', now });
    const taken = await refusal(store.create(aShotRequest(bad), opts));
    expect(taken.state).toBe('approved');
    expect(taken.message).toMatch(/approved and final.*new shot code \(say BAD_9999_v2\)/);
  });

  it('moves the code with a revision that renames the shot, and refuses one onto a live code', async () => {
    const { shot: a } = await store.create(aShotRequest({ ...bad, shot: 'BAD_0010' }), opts);
    const { shot: b } = await store.create(aShotRequest({ ...bad, shot: 'BAD_0020' }), opts);
    const by = { by: 'kitsu', source: '/test', now };

    const onto = await refusal(store.revise(b.id, { ...b.request, shot: 'BAD_0010' }, by));
    expect(onto.shotId).toBe(a.id);
    expect((await store.require(b.id)).request.shot).toBe('BAD_0020');

    await store.revise(a.id, { ...a.request, shot: 'BAD_0011' }, by);
    // The old code is free, the new one taken by the renamed shot.
    await store.create(aShotRequest({ ...bad, shot: 'BAD_0010' }), opts);
    expect((await refusal(store.create(aShotRequest({ ...bad, shot: 'BAD_0011' }), opts))).shotId).toBe(a.id);
  });
});

describe('shots made before the code index existed', () => {
  /** As an older version left a show: shots, no code index (here, two live shots share a code). */
  async function legacyShow() {
    const { shot: first } = await store.create(aShotRequest(bad), { ...opts, now: new Date(now.getTime()) });
    await redis.del(store.keys.codes('NTH'));
    await redis.hset(store.keys.codes('NTH'), '#complete', '1');
    const { shot: second } = await store.create(aShotRequest(bad), {
      ...opts,
      now: new Date(now.getTime() + 1_000),
    });
    const { shot: gone } = await store.create(aShotRequest({ ...bad, shot: 'BAD_0500' }), opts);
    await cancel(gone.id);
    const { shot: other } = await store.create(aShotRequest({ ...bad, shot: 'BAD_0600' }), opts);
    await redis.del(store.keys.codes('NTH'));
    return { first, second, gone, other };
  }

  it('count once the show is indexed, which the next submission does itself', async () => {
    const { first, gone, other } = await legacyShow();
    expect((await refusal(store.create(aShotRequest({ ...bad, shot: 'BAD_0600' }), opts))).shotId).toBe(
      other.id,
    );
    // Of the two that share a code, the first submitted holds it; a cancelled one holds nothing.
    expect((await refusal(store.create(aShotRequest(bad), opts))).shotId).toBe(first.id);
    const back = await store.create(aShotRequest({ ...bad, shot: 'BAD_0500' }), opts);
    expect(back.shot.id).not.toBe(gone.id);
  });

  it('are indexed once at start-up, which names the codes several live shots share', async () => {
    const { first, second } = await legacyShow();
    expect(await store.indexCodes('NTH')).toEqual({
      indexed: 2,
      shared: [{ code: 'NTH/EP01/BAD/BAD_9999', shotIds: [first.id, second.id] }],
    });
    expect(await store.indexCodes('NTH')).toBeUndefined();
  });

  it('count for a rename too, which indexes the show first', async () => {
    const { first, other } = await legacyShow();
    const taken = await refusal(
      store.revise(other.id, { ...other.request, shot: 'BAD_9999' }, { by: 'td', source: '/test', now }),
    );
    expect(taken.shotId).toBe(first.id);
  });
});
