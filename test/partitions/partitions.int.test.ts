import { randomBytes } from 'node:crypto';
import { startShotcaller } from '@shotcaller/cli';
import { type RedisServerHandle, startRedisServer } from '@shotcaller/engines';
import { claimPartitionCount, eventLogKeys, PartitionCountMismatch, Partitions } from '@shotcaller/events';
import { loadConfig } from '@shotcaller/platform';
import { ShotPartitions } from '@shotcaller/shots';
import { aPerformer, aShotRequest, eventually } from '@shotcaller/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { runShotcaller, tokenEntries, tokens } from '../support/shotcaller';

const count = 4;
/** A dozen shows, spread over the partitions by their code. */
const shows = Array.from({ length: 12 }, (_, i) => `SH${String.fromCharCode(65 + i)}`);
const Row = z.object({ actual: z.number(), estimate: z.number() }).loose();
const Any = z.any();

let app: Awaited<ReturnType<typeof runShotcaller>>;
beforeAll(async () => {
  app = await runShotcaller(
    ['api', 'router', 'genai-worker', 'vendor-worker', 'temporal-worker', 'budget', 'compliance', 'notifier'],
    {
      redis: { url: inject('redisUrl'), partitions: count },
      temporal: { address: inject('temporalAddress'), namespace: inject('temporalNamespace') },
      vendor: { vendors: ['vendor-a'], bidWindowMs: 600_000, dayMs: 3_600_000 },
      genai: { previewScale: 0.0625 },
      events: { blockMs: 100 },
    },
  );
}, 180_000);
afterAll(() => app?.running.stop());

const partitions = () => new Partitions(app.deployment, count);

describe(`a deployment of ${count} partitions on one Redis`, () => {
  it('places every show in one partition and spreads the dozen over all of them', () => {
    const placed = new Set(shows.map((s) => partitions().ofShow(s)));
    expect(placed.size).toBe(count);
  });

  it('carries shots of a dozen shows through routing and generation, each in its show’s partition, and lists them across shows', async () => {
    const batch = await app
      .client()
      .submitBatch(
        shows.map((show) =>
          aShotRequest({ show, category: 'environment', deliverable: 'temp', frames: { start: 1, end: 2 } }),
        ),
      );
    const { shot: single } = await app.client().submitShot(
      aShotRequest({
        show: shows[0]!,
        category: 'environment',
        deliverable: 'temp',
        frames: { start: 1, end: 2 },
      }),
    );
    const ids = [...batch.results.map((r) => r.shotId!), single.id];
    for (const id of ids)
      await eventually(
        () => app.client().getShot(id),
        (s) => s.state === 'delivered',
        `shot ${id} delivered`,
        60_000,
      );
    for (const [i, result] of batch.results.entries()) {
      const k = partitions().ofShow(shows[i]!);
      expect(result.shotId).toMatch(new RegExp(`^sh-p${k}-`));
      // The shot and its events are in that partition's keys, and nowhere else.
      const keys = eventLogKeys(partitions().keyspace(k));
      expect(await app.running.redis.hexists(keys.subject(result.shotId!), 'x')).toBe(0);
      expect(await app.running.redis.hlen(keys.subject(result.shotId!))).toBeGreaterThan(0);
      for (const other of partitions().all.filter((p) => p !== k))
        expect(
          await app.running.redis.hlen(eventLogKeys(partitions().keyspace(other)).subject(result.shotId!)),
        ).toBe(0);
    }
    const listed = await app.client().listShots({ limit: 100 });
    expect(listed.shots.map((s) => s.id)).toEqual(expect.arrayContaining(ids));
    // Newest first across the partitions.
    const times = listed.shots.map((s) => s.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    const one = await app.client().listShots({ show: shows[3]!, limit: 100 });
    expect(new Set(one.shots.map((s) => s.show))).toEqual(new Set([shows[3]]));
    // Each show's ledger, in its partition, counts its shot.
    for (const show of [shows[0]!, shows[5]!])
      await eventually(
        () =>
          app
            .client(tokens.accountant)
            .request('GET', `/v1/budgets?show=${show}`, z.object({ total: z.array(Row) }).loose()),
        (b) => (b.data.total[0]?.actual ?? 0) > 0,
        `the ledger of ${show} counting its usage`,
        30_000,
      );
  }, 180_000);

  it('holds a likeness shot in one partition and releases it when a consent naming shows of several partitions is recorded', async () => {
    const show = shows[7]!;
    const otherShow = shows.find((s) => partitions().ofShow(s) !== partitions().ofShow(show))!;
    const performer = `p-${randomBytes(3).toString('hex')}`;
    const { shot } = await app.client().submitShot(
      aShotRequest({
        show,
        category: 'face-likeness',
        deliverable: 'temp',
        requestedRoute: 'genai',
        frames: { start: 1, end: 2 },
        performers: [aPerformer({ id: performer, name: 'Performer P', likeness: 'altered' })],
      }),
    );
    await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.state === 'held',
      'the shot held',
      30_000,
    );
    const alerts = await eventually(
      () =>
        app
          .client(tokens.compliance)
          .request('GET', '/v1/compliance/alerts', z.object({ alerts: z.array(Any) })),
      (r) => r.data.alerts.some((a: { shotId?: string }) => a.shotId === shot.id),
      'the hold alerted',
    );
    expect(alerts.data.alerts.length).toBeGreaterThan(0);
    await app.client(tokens.compliance).request('POST', '/v1/consents', Any, {
      id: `consent-${performer}`,
      performerId: performer,
      performerName: 'Performer P',
      grantedBy: 'performer',
      uses: ['digital-alteration'],
      intendedUse: 'De-ageing in the flashback scenes, both shows.',
      shows: [otherShow, show],
      territories: ['WW'],
      validFrom: '2026-01-01T00:00:00Z',
      compensationRef: 'PAY-1',
      represented: true,
    });
    await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.state === 'delivered',
      'the shot released and delivered',
      60_000,
    );
    // One consent on the list, though each of its shows' partitions holds a copy.
    const consents = await app.client(tokens.compliance).request('GET', '/v1/consents', Any);
    expect(
      consents.data.consents.filter((c: { id: string }) => c.id === `consent-${performer}`),
    ).toHaveLength(1);
    const audit = await app.client(tokens.compliance).request('GET', `/v1/audit?show=${show}`, Any);
    expect(audit.data.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['io.shotcaller.shot.held.v1', 'io.shotcaller.shot.released.v1']),
    );
  }, 120_000);

  it('opens a vendor ticket on the partition’s own task queue and takes a bid through the api', async () => {
    const show = shows[10]!;
    const { shot } = await app.client().submitShot(aShotRequest({ show, requestedRoute: 'vendor' }));
    const opened = await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.state === 'in-progress' && !!s.vendorWorkflowId,
      'the ticket opened',
      60_000,
    );
    const ticketId = `tk-${opened.id.slice(3)}`;
    const listed = await app.client(tokens.vendorA).request('GET', '/v1/vendor/tickets', Any);
    expect(listed.data.tickets.map((t: { ticketId: string }) => t.ticketId)).toContain(ticketId);
    const bid = await app.client(tokens.vendorA).request('POST', `/v1/vendor/tickets/${ticketId}/bids`, Any, {
      amount: { amountMinor: 1_000_000, currency: 'USD' },
      turnaroundDays: 5,
    });
    expect(bid.status).toBe(201);
  }, 120_000);

  it('streams events of every partition on one feed, and resumes from the id of the last one seen', async () => {
    const read = async (after: string | undefined, expected: number) => {
      const controller = new AbortController();
      const response = await fetch(
        `${app.running.apiUrl}/v1/events${after ? `?after=${encodeURIComponent(after)}` : ''}`,
        { headers: { authorization: `Bearer ${tokens.admin}` }, signal: controller.signal },
      );
      const reader = response.body!.getReader();
      const seen: Array<{ id: string; show: string; subject: string }> = [];
      let text = '';
      const wanted = new Set(shows.slice(0, 6));
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
        const frames = text.split('\n\n');
        text = frames.pop() ?? '';
        for (const frame of frames) {
          const id = /^id: (.+)$/m.exec(frame)?.[1];
          const data = /^data: (.+)$/m.exec(frame)?.[1];
          if (!id || !data) continue;
          const event = JSON.parse(data) as { show: string; subject: string; type: string };
          if (event.type === 'io.shotcaller.shot.submitted.v1') seen.push({ ...event, id });
        }
        if (seen.filter((s) => wanted.has(s.show)).length >= expected) break;
      }
      controller.abort();
      return seen;
    };
    const feed = read(undefined, 6);
    await new Promise((r) => setTimeout(r, 500));
    const submitted = await app
      .client()
      .submitBatch(
        shows
          .slice(0, 6)
          .map((show) => aShotRequest({ show, deliverable: 'temp', frames: { start: 1, end: 2 } })),
      );
    const seen = await feed;
    const mine = submitted.results.map((r) => r.shotId!);
    expect(seen.map((s) => s.subject)).toEqual(expect.arrayContaining(mine));
    // Its ids name a position in every partition.
    expect(seen[0]!.id.split('_'), seen[0]!.id).toHaveLength(count);
    // Resuming after the first one sees the rest and not that one again.
    const first = seen.find((s) => mine.includes(s.subject))!;
    const resumed = await read(first.id, 5);
    const resumedMine = resumed.map((s) => s.subject).filter((s) => mine.includes(s));
    expect(resumedMine).not.toContain(first.subject);
    expect(resumedMine.length).toBeGreaterThanOrEqual(mine.length - 1);
  }, 90_000);

  it('refuses to start with another partition count, naming both numbers', async () => {
    const config = loadConfig({
      env: {},
      overrides: {
        deployment: app.deployment,
        redis: { url: inject('redisUrl'), partitions: 8 },
        log: { level: 'warn' },
        auth: { tokens: tokenEntries() },
      },
    });
    const refused = await startShotcaller(config, ['router']).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PartitionCountMismatch);
    expect((refused as Error).message).toMatch(/created with 4 partitions.*says 8/);
  });
});

describe('a role given some partitions', () => {
  let redis: RedisServerHandle;
  beforeAll(async () => {
    redis = await startRedisServer();
  }, 30_000);
  afterAll(() => redis?.stop());

  it('never touches another partition’s keys (as the server saw it)', async () => {
    const deployment = `t-${randomBytes(4).toString('hex')}`;
    const p = new Partitions(deployment, count);
    const driver = new Redis(redis.url);
    await claimPartitionCount(driver, deployment, count);
    const shots = new ShotPartitions(driver, p);
    const served = [0, 1];
    const byPartition = new Map<number, string[]>();
    for (const show of shows) {
      const { shot } = await shots.submit(
        aShotRequest({ show, category: 'environment', deliverable: 'temp', frames: { start: 1, end: 2 } }),
        { name: 'td', source: '/test' },
      );
      const k = p.ofShow(show);
      byPartition.set(k, [...(byPartition.get(k) ?? []), shot.id]);
    }
    // Everything the restricted process does from here is on the server's MONITOR.
    // monitor() answers a connection of its own: the one it came from must be closed too.
    const watcher = new Redis(redis.url);
    const monitor = await watcher.monitor();
    const touched: string[] = [];
    monitor.on('monitor', (_time: string, args: string[]) => touched.push(args.join(' ')));
    const restricted = await startShotcaller(
      loadConfig({
        env: {},
        overrides: {
          deployment,
          redis: { url: redis.url, partitions: count },
          log: { level: 'warn' },
          genai: { previewScale: 0.0625 },
          events: { blockMs: 100 },
        },
      }),
      ['router', 'genai-worker', 'budget', 'compliance', 'notifier'],
      { partitions: '0-1' },
    );
    // The test reads only the served partitions' shots while the server is watched.
    try {
      for (const k of served)
        for (const id of byPartition.get(k) ?? [])
          await eventually(
            () => shots.get(id),
            (s) => s?.state === 'delivered',
            `shot ${id} of partition ${k} delivered`,
            60_000,
          );
    } finally {
      await restricted.stop();
      monitor.disconnect();
      watcher.disconnect();
    }
    // What the server saw until the restricted process stopped; the reads below are the test's own.
    const watched = touched.slice();
    for (const k of [2, 3])
      for (const id of byPartition.get(k) ?? []) expect((await shots.get(id))?.state).toBe('submitted');
    expect(watched.some((line) => line.includes(`{sc:${deployment}:p0}`))).toBe(true);
    expect(watched.some((line) => line.includes(`{sc:${deployment}:p1}`))).toBe(true);
    const strays = watched.filter(
      (line) => line.includes(`{sc:${deployment}:p2}`) || line.includes(`{sc:${deployment}:p3}`),
    );
    expect(strays).toEqual([]);
    driver.disconnect();
  }, 120_000);
});
