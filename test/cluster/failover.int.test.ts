import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { budgetKeys, decodeFacts } from '@shotcaller/budget';
import { SimulationReport } from '@shotcaller/contracts';
import { type RedisClusterHandle, repoRoot, startRedisCluster } from '@shotcaller/engines';
import { Partitions } from '@shotcaller/events';
import { ApiError } from '@shotcaller/sdk';
import { aPerformer, aShotRequest, eventually } from '@shotcaller/testkit';
import { type Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { runShotcaller, tokens } from '../support/shotcaller';

const partitionCount = 6;
const shows = Array.from({ length: 12 }, (_, i) => `FO${String.fromCharCode(65 + i)}`);
const Any = z.any();

let cluster: RedisClusterHandle;
let client: Cluster;
let app: Awaited<ReturnType<typeof runShotcaller>>;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3, replicas: 1, nodeTimeoutMs: 1_000 });
  client = cluster.connect();
  app = await runShotcaller(
    ['api', 'router', 'genai-worker', 'vendor-worker', 'temporal-worker', 'budget', 'compliance', 'notifier'],
    {
      redis: {
        cluster: { nodes: cluster.nodes.map((n) => `${n.host}:${n.port}`) },
        partitions: partitionCount,
        replicaAcks: { replicas: 1, timeoutMs: 5_000 },
      },
      temporal: { address: inject('temporalAddress'), namespace: inject('temporalNamespace') },
      vendor: { vendors: ['vendor-a'], bidWindowMs: 600_000, dayMs: 3_600_000 },
      // A stop waits for a task in hand at most this long; these tasks take milliseconds.
      genai: { previewScale: 0.0625, taskTimeoutMs: 20_000 },
      events: { blockMs: 100, claimIdleMs: 2_000 },
    },
  );
}, 180_000);
afterAll(async () => {
  // Every role stops by itself, even one whose BullMQ worker still holds a connection to the dead
  // master (BullMQ's own close can wait on it forever; each worker bounds its wait, see closeWorker).
  const stuck: string[] = [];
  for (const role of [...(app?.running.roles ?? [])].reverse()) {
    const stopped = await Promise.race([
      role.stop().then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 45_000)),
    ]);
    if (!stopped) stuck.push(role.name);
  }
  app?.running.redis.disconnect();
  client?.disconnect();
  await cluster?.stop();
  expect(stuck).toEqual([]);
}, 400_000);

const envShot = (show: string) =>
  aShotRequest({ show, category: 'environment', deliverable: 'temp', frames: { start: 1, end: 2 } });

/** The master port serving a key's slot, as the cluster says now. */
async function masterOf(key: string): Promise<number> {
  const slot = (await client.cluster('KEYSLOT', key)) as number;
  const ranges = await client.cluster('SLOTS');
  const range = ranges.find(([from, to]) => slot >= from && slot <= to)!;
  return range[2]![1];
}

describe('a partitioned deployment on a cluster with replicas', () => {
  it('goes on when a master is killed under load: every accepted shot, consent and award is still there, and the ledger equals the log', async () => {
    const partitions = new Partitions(app.deployment, partitionCount);
    // Before the kill: a batch over a dozen shows, a vendor ticket awarded, a hold released by a consent.
    const batch = await app.client().submitBatch(shows.map(envShot));
    const accepted = batch.results.map((r) => r.shotId!);
    const vendorShow = shows[2]!;
    const { shot: vendorShot } = await app
      .client()
      .submitShot(aShotRequest({ show: vendorShow, requestedRoute: 'vendor' }));
    accepted.push(vendorShot.id);
    await eventually(
      () => app.client().getShot(vendorShot.id),
      (s) => s.state === 'in-progress' && !!s.vendorWorkflowId,
      'the ticket opened',
      60_000,
    );
    const ticketId = `tk-${vendorShot.id.slice(3)}`;
    const bid = await app.client(tokens.vendorA).request('POST', `/v1/vendor/tickets/${ticketId}/bids`, Any, {
      amount: { amountMinor: 900_000, currency: 'USD' },
      turnaroundDays: 4,
    });
    await app
      .client()
      .request('POST', `/v1/vendor/tickets/${ticketId}/award`, Any, { bidId: bid.data.bidId });
    const heldShow = shows[5]!;
    const { shot: likeness } = await app.client().submitShot(
      aShotRequest({
        show: heldShow,
        category: 'face-likeness',
        deliverable: 'temp',
        requestedRoute: 'genai',
        frames: { start: 1, end: 2 },
        performers: [aPerformer({ id: 'p-fo', name: 'Performer FO', likeness: 'altered' })],
      }),
    );
    accepted.push(likeness.id);
    await eventually(
      () => app.client().getShot(likeness.id),
      (s) => s.state === 'held',
      'the shot held',
      30_000,
    );
    await app.client(tokens.compliance).request('POST', '/v1/consents', Any, {
      id: 'consent-p-fo',
      performerId: 'p-fo',
      performerName: 'Performer FO',
      grantedBy: 'performer',
      uses: ['digital-alteration'],
      intendedUse: 'De-ageing, flashback scenes.',
      shows: [heldShow],
      territories: ['WW'],
      validFrom: '2026-01-01T00:00:00Z',
      compensationRef: 'PAY-FO',
      represented: true,
    });

    // Kill the master of the held show's partition while shots keep coming.
    const victim = await masterOf(`{sc:${partitions.keyspace(partitions.ofShow(heldShow))}}:events`);
    let submitting = true;
    const unexpected: string[] = [];
    const load = (async () => {
      let i = 0;
      while (submitting) {
        const show = shows[i++ % shows.length]!;
        try {
          const { shot } = await app.client().submitShot(envShot(show));
          accepted.push(shot.id);
        } catch (error) {
          // Refused or unanswered while the slot has no master: not accepted, so not owed. But never a 500:
          // a failover is Redis being unavailable (503), not a fault in the request or in Shotcaller.
          if (error instanceof ApiError && error.status >= 500 && error.status !== 503)
            unexpected.push(`${error.status} ${error.code}: ${error.message}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await new Promise((r) => setTimeout(r, 1_000));
    await cluster.kill(victim);
    await eventually(
      () => masterOf(`{sc:${partitions.keyspace(partitions.ofShow(heldShow))}}:events`).catch(() => victim),
      (port) => port !== victim,
      'a replica promoted',
      30_000,
    );
    await new Promise((r) => setTimeout(r, 3_000));
    submitting = false;
    await load;
    expect(unexpected).toEqual([]);
    // The failed machine comes back and rejoins as the new master's replica, so critical writes of that
    // partition can reach a replica again (until then they are refused, never acknowledged unsafely).
    await cluster.restart(victim);
    const promoted = new Redis({
      port: await masterOf(`{sc:${partitions.keyspace(partitions.ofShow(heldShow))}}:events`),
    });
    await eventually(
      () => promoted.info('replication'),
      (info) => /slave0:.*state=online/.test(info),
      'the restarted node replicating the promoted master',
      60_000,
    );
    promoted.disconnect();

    // After: the flow goes on (a new shot of that partition is delivered), and nothing accepted is gone.
    const { shot: after } = await app.client().submitShot(envShot(heldShow));
    await eventually(
      () => app.client().getShot(after.id),
      (s) => s.state === 'delivered',
      'a shot after the failover delivered',
      90_000,
    );
    for (const id of accepted) expect((await app.client().getShot(id)).id).toBe(id);
    const consents = await app.client(tokens.compliance).request('GET', '/v1/consents', Any);
    expect(consents.data.consents.map((c: { id: string }) => c.id)).toContain('consent-p-fo');
    const ticket = await eventually(
      () => app.client(tokens.vendorA).request('GET', `/v1/vendor/tickets/${ticketId}`, Any),
      (t) => t.data.award?.vendorId === 'vendor-a',
      'the award still there',
      30_000,
    );
    expect(ticket.data.award.bidId).toBe(bid.data.bidId);
    await eventually(
      () => app.client().getShot(likeness.id),
      (s) => s.state === 'delivered',
      'the released shot delivered',
      90_000,
    );

    // The ledger of each show equals the usage its shots' logs record.
    for (const show of [heldShow, shows[0]!]) {
      const listed = await app.client().listShots({ show, limit: 500 });
      await eventually(
        async () => {
          let usage = 0;
          // Where the log and the ledger differ, shot by shot (usage event ids on each side): what a
          // failure needs to be understood, printed with it.
          const differing: Array<{ shot: string; log: string[]; ledger: string[] }> = [];
          const keys = budgetKeys(partitions.keyspace(partitions.ofShow(show)));
          for (const s of listed.shots) {
            const view = await app.client().getShot(s.id);
            const logged: string[] = [];
            for (const e of view.history ?? [])
              if (e.type === 'io.shotcaller.genai.usage.recorded.v1') {
                usage += (e.data as { cost: { amountMinor: number } }).cost.amountMinor;
                logged.push(e.id);
              }
            const counted = decodeFacts(s.id, (await client.get(keys.shotFacts(s.id))) ?? '')
              .filter(({ fact }) => fact.kind === 'usage')
              .map((f) => f.eventId);
            if (logged.sort().join() !== counted.sort().join())
              differing.push({ shot: s.id, log: logged, ledger: counted });
          }
          const ledger = await app.client(tokens.accountant).request('GET', `/v1/budgets?show=${show}`, Any);
          return { usage, actual: ledger.data.total[0]?.actual ?? 0, differing };
        },
        (r) => r.usage > 0 && r.actual === r.usage,
        `the ledger of ${show} equal to its log`,
        60_000,
      );
    }

    // A what-if of the killed partition's show reads it on the promoted master: every shot of the show
    // is replayed under the candidate policy, or named as skipped with its reason.
    const whatIf = await app.client(tokens.accountant).request('POST', '/v1/simulations', SimulationReport, {
      show: heldShow,
      policy: readFileSync(join(repoRoot(), 'examples', 'policies', 'all-vendor.yaml'), 'utf8'),
    });
    const ofShow = await app.client().listShots({ show: heldShow, limit: 500 });
    expect(whatIf.data.shots.length).toBeGreaterThan(0);
    expect([...whatIf.data.shots, ...whatIf.data.skipped].map((s) => s.shotId).sort()).toEqual(
      ofShow.shots.map((s) => s.id).sort(),
    );
  }, 400_000);
});
