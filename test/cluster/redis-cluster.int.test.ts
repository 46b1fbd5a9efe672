import { randomBytes } from 'node:crypto';
import { BudgetProjection } from '@shotcaller/budget';
import { makeEvent } from '@shotcaller/contracts';
import { type RedisClusterHandle, startRedisCluster } from '@shotcaller/engines';
import { EventLog } from '@shotcaller/events';
import { bullPrefix, createQueue, ShotStore } from '@shotcaller/shots';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { Worker } from 'bullmq';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runShotcaller, tokens } from '../support/shotcaller';

let cluster: RedisClusterHandle;
let client: Cluster;
const deployment = `c-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  client = cluster.connect();
}, 60_000);
afterAll(async () => {
  client?.disconnect();
  await cluster?.stop();
});

describe('on a three-master Redis Cluster', () => {
  it('keeps a deployment in one slot while other deployments spread over the masters', async () => {
    const slots = new Set<number>();
    for (let i = 0; i < 12; i++)
      slots.add((await client.cluster('KEYSLOT', `{sc:dep-${i}}:events`)) as number);
    expect(slots.size).toBeGreaterThan(1);
    const mine = await client.cluster('KEYSLOT', `{sc:${deployment}}:events`);
    expect(await client.cluster('KEYSLOT', `{sc:${deployment}}:shot:sh-1`)).toBe(mine);
    expect(await client.cluster('KEYSLOT', `${bullPrefix(deployment)}:vendor:wait`)).toBe(mine);
  });

  it('runs the shot store and the event log, Lua scripts included', async () => {
    const store = new ShotStore(client, deployment);
    const request = aShotRequest();
    const { shot } = await store.create(request, { submittedBy: 'td', source: '/test', now: new Date() });
    expect(
      (await store.create(request, { submittedBy: 'td', source: '/test', now: new Date() })).created,
    ).toBe(false);
    await store.change(shot.id, { to: 'routing', events: () => [], source: '/test', now: new Date() });
    const log = new EventLog(client, { deployment });
    const seen: string[] = [];
    const consumer = log.consumer({
      group: 'g',
      consumer: 'c1',
      blockMs: 100,
      handler: async (e) => void seen.push(e.type),
    });
    await consumer.start();
    await eventually(
      () => seen,
      (s) => s.includes('io.shotcaller.shot.submitted.v1'),
      'the event consumed',
    );
    await consumer.stop();
    expect((await store.history(shot.id)).map((h) => h.event.type)).toEqual([
      'io.shotcaller.shot.submitted.v1',
    ]);
  });

  it('runs a BullMQ queue and worker under the deployment prefix', async () => {
    const queue = createQueue('vendor', client, deployment);
    const done: string[] = [];
    const worker = new Worker(
      'vendor',
      async (job) => {
        done.push(job.data.shotId);
      },
      { connection: client, prefix: bullPrefix(deployment) },
    );
    await queue.addBulk(
      Array.from({ length: 20 }, (_, i) => ({ name: 'route', data: { shotId: `sh-${i}`, attempt: 1 } })),
    );
    await eventually(
      () => done.length,
      (n) => n === 20,
      '20 jobs done',
    );
    await worker.close();
    await queue.close();
  });

  it("runs shotcaller itself, configured with the cluster's nodes and partitioned: a dozen shows routed, generated and in the ledger, over every master", async () => {
    const app = await runShotcaller(['api', 'router', 'genai-worker', 'budget', 'compliance'], {
      redis: { cluster: { nodes: cluster.nodes.map((n) => `${n.host}:${n.port}`) }, partitions: 6 },
      genai: { previewScale: 0.0625 },
    });
    try {
      expect(app.running.redisUrl).toMatch(/^cluster /);
      const shows = Array.from({ length: 12 }, (_, i) => `SH${String.fromCharCode(65 + i)}`);
      const batch = await app.client().submitBatch(
        shows.map((show) =>
          aShotRequest({
            show,
            category: 'environment',
            deliverable: 'temp',
            frames: { start: 1, end: 2 },
          }),
        ),
      );
      const { shot } = await app
        .client()
        .submitShot(
          aShotRequest({ category: 'destruction', deliverable: 'temp', frames: { start: 1, end: 2 } }),
        );
      const ids = [...batch.results.map((r) => r.shotId!), shot.id];
      for (const id of ids)
        await eventually(
          () => app.client().getShot(id),
          (s) => s.state === 'delivered',
          `shot ${id} delivered`,
          30_000,
        );
      const Row = z.object({ actual: z.number() }).loose();
      await eventually(
        () =>
          app
            .client(tokens.accountant)
            .request('GET', '/v1/budgets?show=NTH', z.object({ total: z.array(Row) }).loose()),
        (b) => (b.data.total[0]?.actual ?? 0) > 0,
        'the ledger counting the usage',
      );
      const listed = await app.client().listShots({ limit: 100 });
      expect(listed.shots.map((s) => s.id)).toEqual(expect.arrayContaining(ids));
      // Each master holds some partitions' keys: the deployment spread over the cluster.
      const holding = await Promise.all(
        client.nodes('master').map(async (node) => (await node.keys(`{sc:${app.deployment}:p*`)).length),
      );
      expect(
        holding.every((n) => n > 0),
        `keys per master: ${holding.join(', ')}`,
      ).toBe(true);
    } finally {
      await app.running.stop();
    }
  }, 120_000);

  it('drops a deployment’s whole budget ledger wherever its slot lives, and rebuilds it', async () => {
    const deployments = Array.from({ length: 6 }, (_, i) => `${deployment}-b${i}`);
    const masters = new Set<string>();
    for (const d of deployments) {
      const log = new EventLog(client, { deployment: d });
      const projection = new BudgetProjection(client, d);
      await log.append(
        makeEvent(
          'io.shotcaller.budget.line.configured.v1',
          {
            lineId: 'L',
            show: 'NTH',
            amount: { amountMinor: 100, currency: 'USD' },
            thresholdsPercent: [50],
            by: 't',
          },
          { source: '/test', correlationId: 'L', show: 'NTH' },
        ),
      );
      await log.append(
        makeEvent(
          'io.shotcaller.shot.submitted.v1',
          { shotId: 'sh-1', request: aShotRequest({ budgetLine: 'L' }), submittedBy: 'td' },
          { source: '/test', correlationId: 'sh-1', show: 'NTH' },
        ),
      );
      for await (const { event } of log.replay()) await projection.apply(event);
      expect(await projection.rows('NTH')).toHaveLength(1);
      const slot = (await client.cluster('KEYSLOT', projection.keys.lines)) as number;
      masters.add(String(client.slots[slot]?.[0]));
      expect(await projection.rebuild(log)).toBe(2);
      expect((await projection.rows('NTH')).map((r) => r.shotId)).toEqual(['sh-1']);
      await projection.drop();
      const left: string[] = [];
      for (const node of client.nodes('master'))
        left.push(...(await node.keys(`${projection.keys.prefix}*`)));
      expect(left).toEqual([]);
    }
    // The ledgers lived on more than one master, so one node's SCAN would not have found them all.
    expect(masters.size).toBeGreaterThan(1);
  });
});
