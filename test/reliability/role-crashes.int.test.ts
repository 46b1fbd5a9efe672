import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '@shotcaller/engines';
import { aPerformer, aShotRequest, eventually } from '@shotcaller/testkit';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { spawnRole, stopProcess } from '../support/role-process';
import { runShotcaller, tokens } from '../support/shotcaller';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A mixed load: most shots go to AI, some to vendors, some are held for consent. */
const load = (run: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    i % 10 === 9
      ? aShotRequest({
          shot: `HLD_${run}_${i}`,
          category: 'face-likeness',
          requestedRoute: 'genai',
          performers: [
            aPerformer({ id: `p-${run}-${i}`, union: 'sag-aftra', role: 'lead', likeness: 'altered' }),
          ],
        })
      : i % 10 === 8
        ? aShotRequest({ shot: `VND_${run}_${i}`, requestedRoute: 'vendor' })
        : aShotRequest({
            shot: `AI_${run}_${i}`,
            category: 'environment',
            deliverable: 'temp',
            frames: { start: 1, end: 6 },
            resolution: { width: 320, height: 180 },
          }),
  );

const settled = (s: { state: string; route?: string }) =>
  s.state === 'delivered' || s.state === 'held' || (s.state === 'queued' && s.route === 'vendor');

/** Every shot settled, each step's event once, and the ledger equal to the money in the log. */
async function verify(app: Awaited<ReturnType<typeof runShotcaller>>, ids: string[]) {
  const shots = await eventually(
    () => Promise.all(ids.map((id) => app.client().getShot(id))),
    (all) => all.every(settled),
    'every shot settled',
    120_000,
  );
  let usage = 0;
  for (const s of shots) {
    const count = (type: string, version = 'v1') =>
      s.history!.filter((e) => e.type === `io.shotcaller.${type}.${version}`).length;
    const ids = s.history!.map((e) => e.id);
    expect(new Set(ids).size, `${s.request.shot} has a duplicated event`).toBe(ids.length);
    expect(count('shot.submitted'), s.request.shot).toBe(1);
    if (s.state === 'delivered') {
      expect(
        [count('shot.delivered'), count('genai.task.completed', 'v2'), count('genai.usage.recorded')],
        s.request.shot,
      ).toEqual([1, 1, 1]);
      usage += (
        s.history!.find((e) => e.type === 'io.shotcaller.genai.usage.recorded.v1')!.data as {
          cost: { amountMinor: number };
        }
      ).cost.amountMinor;
    }
    if (s.state === 'held') expect(count('shot.held'), s.request.shot).toBe(1);
  }
  const total = await eventually(
    () => app.client(tokens.accountant).request('GET', '/v1/budgets?show=NTH', z.any()),
    (r) => r.data.total[0]?.shots === ids.length && r.data.total[0]?.actual === usage,
    `the ledger equal to the usage in the log (${usage})`,
    60_000,
  );
  expect(total.data.total[0].actual).toBe(usage);
  const alerts = await app.client(tokens.compliance).request('GET', '/v1/compliance/alerts', z.any());
  const alertIds = alerts.data.alerts.map((a: { alertId: string }) => a.alertId);
  expect(new Set(alertIds).size).toBe(alertIds.length);
  expect(new Set(alerts.data.alerts.map((a: { shotId: string }) => a.shotId)).size).toBe(
    shots.filter((s) => s.state === 'held').length,
  );
  return shots;
}

describe('reliability', () => {
  it('survives SIGKILL of each role mid-load: every shot settles, nothing counted twice', async () => {
    const app = await runShotcaller(['api'], {
      events: { claimIdleMs: 1_500 },
      genai: { lockDurationMs: 2_000 },
    });
    cleanups.push(() => app.running.stop());
    const env = {
      REDIS_URL: inject('redisUrl'),
      SHOTCALLER_DEPLOYMENT: app.deployment,
      SHOTCALLER_DATA_DIR: app.config.dataDir,
      SHOTCALLER_GENAI_LOCK_MS: '2000',
      SHOTCALLER_EVENTS_CLAIM_IDLE_MS: '1500',
    };
    const roles = ['router', 'genai-worker', 'budget', 'compliance'];
    const running = new Map<string, ChildProcess>(roles.map((r) => [r, spawnRole(r, env)]));
    cleanups.push(async () => {
      for (const p of running.values()) await stopProcess(p, 'SIGKILL');
    });
    const ids: string[] = [];
    const requests = load('k', 60);
    for (let i = 0; i < requests.length; i += 10) {
      const reply = await app.client().submitBatch(requests.slice(i, i + 10));
      ids.push(...reply.results.map((r) => r.shotId!));
      // Kill one role per batch, in turn, and bring it back a moment later.
      const role = roles[(i / 10) % roles.length]!;
      await sleep(400);
      await stopProcess(running.get(role)!, 'SIGKILL');
      running.set(role, spawnRole(role, env));
    }
    const shots = await verify(app, ids);
    expect(shots.filter((s) => s.state === 'delivered').length).toBe(48);
  }, 240_000);

  it('survives a Redis restart mid-load (AOF): every shot settles, nothing counted twice', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'reliability-redis-'));
    const redis = await startRedisServer({ dataDir });
    let current = redis;
    cleanups.push(async () => {
      await current.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const app = await runShotcaller(['api', 'router', 'genai-worker', 'budget', 'compliance'], {
      redis: { url: redis.url },
      events: { claimIdleMs: 1_500 },
      genai: { lockDurationMs: 2_000 },
    });
    cleanups.push(() => app.running.stop());
    const ids: string[] = [];
    const requests = load('r', 40);
    for (let i = 0; i < requests.length; i += 10) {
      const reply = await app.client().submitBatch(requests.slice(i, i + 10));
      ids.push(...reply.results.map((r) => r.shotId!));
      if (i === 10) {
        // Mid-load: the server goes away and comes back on the same port from its append-only file.
        await sleep(300);
        await current.stop();
        current = await startRedisServer({ port: redis.port, dataDir });
      }
    }
    await verify(app, ids);
  }, 240_000);

  it('carries vendor tickets through a temporal worker that is down for a while', async () => {
    const app = await runShotcaller(['api', 'router', 'vendor-worker'], {
      temporal: { address: inject('temporalAddress'), namespace: inject('temporalNamespace') },
      vendor: { vendors: ['vendor-a'] },
    });
    cleanups.push(() => app.running.stop());
    const env = {
      REDIS_URL: inject('redisUrl'),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      SHOTCALLER_DEPLOYMENT: app.deployment,
      SHOTCALLER_DATA_DIR: app.config.dataDir,
    };
    // No temporal worker yet: the vendor worker starts the workflows and they wait.
    const reply = await app
      .client()
      .submitBatch(
        Array.from({ length: 5 }, (_, i) => aShotRequest({ shot: `TW_${i}`, requestedRoute: 'vendor' })),
      );
    const ids = reply.results.map((r) => r.shotId!);
    await eventually(
      () => Promise.all(ids.map((id) => app.client().getShot(id))),
      (all) => all.every((s) => !!s.vendorWorkflowId && s.state === 'queued'),
      'workflows started while no worker runs',
      60_000,
    );
    await sleep(2_000);
    const worker = spawnRole('temporal-worker', env);
    cleanups.push(() => stopProcess(worker, 'SIGKILL'));
    const opened = await eventually(
      () => Promise.all(ids.map((id) => app.client().getShot(id))),
      (all) => all.every((s) => s.state === 'in-progress'),
      'every ticket opened once a worker is back',
      90_000,
    );
    for (const s of opened) {
      const ticket = `tk-${s.id.slice(3)}`;
      await app.client(tokens.vendorA).request('POST', `/v1/vendor/tickets/${ticket}/bids`, z.any(), {
        amount: { amountMinor: 100_000, currency: 'USD' },
        turnaroundDays: 3,
      });
      const count = (type: string) =>
        s.history!.filter((e) => e.type === `io.shotcaller.vendor.${type}.v1`).length;
      expect(count('ticket.opened')).toBe(1);
    }
    await stopProcess(worker, 'SIGTERM');
  }, 240_000);

  it('keeps Redis and process memory bounded under steady load when retention is on', async () => {
    const app = await runShotcaller(['api', 'router', 'genai-worker', 'budget', 'compliance'], {
      events: { retentionMs: 1_000 },
    });
    cleanups.push(() => app.running.stop());
    const redis = app.running.redis;
    const streamLength = () => redis.xlen(`{sc:${app.deployment}}:events`);
    const round = async (k: number) => {
      const reply = await app.client().submitBatch(load(`s${k}`, 10).filter((_, i) => i % 10 < 8));
      await eventually(
        () => Promise.all(reply.results.map((r) => app.client().getShot(r.shotId!))),
        (all) => all.every(settled),
        'the round settled',
        60_000,
      );
    };
    for (let k = 0; k < 3; k++) await round(k);
    await sleep(2_500);
    const warm = { stream: await streamLength(), heap: process.memoryUsage().heapUsed };
    for (let k = 3; k < 12; k++) await round(k);
    await sleep(2_500);
    const after = { stream: await streamLength(), heap: process.memoryUsage().heapUsed };
    // Four times the load went through; the trimmed log holds about the last seconds' worth, not all of it.
    expect(after.stream).toBeLessThan(Math.max(warm.stream, 200) * 2);
    expect(after.heap).toBeLessThan(warm.heap + 200 * 1024 * 1024);
  }, 240_000);
});
