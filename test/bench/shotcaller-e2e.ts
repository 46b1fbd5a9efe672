import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashToken } from '@shotcaller/api';
import { budgetKeys, decodeFacts } from '@shotcaller/budget';
import { startShotcaller } from '@shotcaller/cli';
import { repoRoot } from '@shotcaller/engines';
import { EventLog, Partitions } from '@shotcaller/events';
import { loadConfig } from '@shotcaller/platform';
import { ShotcallerClient } from '@shotcaller/sdk';
import { bullPrefix } from '@shotcaller/shots';
import { aShotRequest } from '@shotcaller/testkit';
import { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { spawnRole, stopProcess } from '../support/role-process';
import { breakdownOf } from './command-breakdown';
import { processCpuMs, redisCpuMs } from './cpu-usage';
import { percentile, retainedBytes, totalCommands, usedMemory } from './redis-stats';

const token = 'bench-admin-token';

/**
 * Where a run's roles keep their data: one Redis by its URL, or a Redis Cluster by its nodes with the
 * deployment spread over `partitions`. `servers` are the Redis servers whose INFO the figures add up
 * (the one Redis, or each master); `client` reads what the roles wrote.
 */
export interface BenchTarget {
  redis: { url: string } | { cluster: { nodes: string[] } };
  partitions: number;
  /** The shows the shots are spread over. */
  shows: readonly string[];
  servers: readonly Redis[];
  client: Redis | Cluster;
}

/** One Redis, one partition, one show: the zero-configuration deployment. */
export function singleRedis(redis: Redis, url: string): BenchTarget {
  return { redis: { url }, partitions: 1, shows: ['NTH'], servers: [redis], client: redis };
}

/** A figure read from each server, in the order of `servers`. */
async function perServer(servers: readonly Redis[], read: (r: Redis) => Promise<number>): Promise<number[]> {
  return Promise.all(servers.map(read));
}

/** All roles in this process, or (`processes`) the api here and every other role in a process of its own. */
export type BenchMode = 'one-process' | 'processes';

const workerRoles = ['router', 'genai-worker', 'budget', 'compliance'] as const;

/** The pids of a run's processes, by what each runs. */
type RunProcesses = Record<string, number>;

async function shotcaller(
  target: BenchTarget,
  deployment: string,
  mode: BenchMode = 'one-process',
): Promise<{
  running: { apiUrl?: string | undefined; stop(): Promise<void> };
  client: ShotcallerClient;
  processes: RunProcesses;
}> {
  const examples = join(repoRoot(), 'examples');
  const settings = {
    deployment,
    dataDir: mkdtempSync(join(tmpdir(), 'shotcaller-bench-')),
    redis: { ...target.redis, partitions: target.partitions },
    log: { level: 'error' as const },
    // One client stands for a studio's many callers here: its write budget is the studio's.
    api: { port: 0, maxBatch: 500, rateLimits: { write: 1_000_000 } },
    routing: {
      policyFile: join(examples, 'policy.yaml'),
      rateCardsFile: join(examples, 'rate-cards.yaml'),
    },
    // The local generator at its smallest: one frame a shot, a few pixels. The bench measures orchestration.
    genai: { previewScale: 0.01, concurrency: 16 },
    auth: { tokens: [{ name: 'bench', sha256: hashToken(token), role: 'admin' as const, shows: ['*'] }] },
  };
  const config = loadConfig({ env: {}, overrides: settings });
  if (mode === 'one-process') {
    const running = await startShotcaller(config, ['api', ...workerRoles]);
    return {
      running,
      client: new ShotcallerClient({ baseUrl: running.apiUrl!, token }),
      // This process: every role, and the bench's client and ledger watcher.
      processes: { 'all roles, bench client': process.pid },
    };
  }
  const configFile = join(settings.dataDir, 'bench-config.json');
  writeFileSync(configFile, JSON.stringify(settings));
  const processes = workerRoles.map((role) => spawnRole(role, { SHOTCALLER_CONFIG: configFile }));
  const api = await startShotcaller(config, ['api']);
  await rolesReady(target, deployment);
  return {
    running: {
      apiUrl: api.apiUrl,
      async stop() {
        await api.stop();
        await Promise.all(processes.map((p) => stopProcess(p, 'SIGTERM')));
      },
    },
    client: new ShotcallerClient({ baseUrl: api.apiUrl!, token }),
    processes: {
      'api, bench client': process.pid,
      ...Object.fromEntries(workerRoles.map((role, i) => [role, processes[i]!.pid!])),
    },
  };
}

/** CPU milliseconds each process has used so far, by its name; Redis servers as `redis` (summed). */
async function cpuSnapshot(processes: RunProcesses, servers: readonly Redis[]) {
  const out: Record<string, number> = {};
  for (const [name, pid] of Object.entries(processes)) {
    const ms = processCpuMs(pid);
    if (ms !== undefined) out[name] = ms;
  }
  out.redis = (await Promise.all(servers.map(redisCpuMs))).reduce((a, b) => a + b, 0);
  return out;
}

/** Waits until the role processes have registered: each partition's consumer groups and queue workers exist. */
async function rolesReady(target: BenchTarget, deployment: string): Promise<void> {
  const partitions = new Partitions(deployment, target.partitions);
  const redis = target.client;
  const queues = partitions.all.map(
    (k) => new Queue('genai-local', { connection: redis, prefix: bullPrefix(partitions.keyspace(k)) }),
  );
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const groups = await Promise.all(
        partitions.all.map((k) => new EventLog(redis, { deployment: partitions.keyspace(k) }).groups()),
      );
      const workers = await Promise.all(queues.map((q) => q.getWorkersCount()));
      if (
        groups.every((of) => ['router', 'budget', 'compliance'].every((g) => of.some((x) => x.name === g))) &&
        workers.every((n) => n > 0)
      )
        return;
      if (Date.now() > deadline) throw new Error('the role processes did not start within a minute');
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await Promise.all(queues.map((q) => q.close()));
  }
}

/** AI-routed shots with no performers: they go straight through (environment, one frame). */
const benchShot = (target: BenchTarget, run: string, i: number) =>
  aShotRequest({
    show: target.shows[i % target.shows.length]!,
    shot: `B_${String(i).padStart(5, '0')}`,
    category: 'environment',
    deliverable: 'temp',
    frames: { start: 1, end: 1 },
    resolution: { width: 128, height: 72 },
    idempotencyKey: `${run}-${i}`,
  });

/** Watches the ledger: when each shot's row first shows its usage (actual > 0). */
function ledgerWatcher(target: BenchTarget, deployment: string) {
  const seen = new Map<string, number>();
  const waiting = new Set<string>();
  let stop = false;
  const partitions = new Partitions(deployment, target.partitions);
  // Reads only the facts of shots not seen yet, in one MGET a partition a poll (a partition's keys
  // share a slot): the watcher shares the bench's CPU (and, in one-process mode, the roles'), so it
  // must cost little.
  // A shot's facts are decoded again only when they grew: decoding every waiting shot's facts on every
  // poll took 6 % of the one-process run's CPU, the roles' CPU, and was measured as theirs.
  const decodedLength = new Map<string, number>();
  const poll = async (ids: string[], k: number) => {
    const keys = budgetKeys(partitions.keyspace(k));
    const stored = await target.client.mget(ids.map((id) => keys.shotFacts(id)));
    const now = performance.now();
    ids.forEach((id, i) => {
      const facts = stored[i] ?? '';
      if (facts.length === (decodedLength.get(id) ?? 0)) return;
      decodedLength.set(id, facts.length);
      const usage = decodeFacts(id, facts).some(
        ({ fact }) => fact.kind === 'usage' && fact.amount.amountMinor > 0,
      );
      if (usage) {
        seen.set(id, now);
        waiting.delete(id);
      }
    });
  };
  const loop = (async () => {
    while (!stop) {
      const byPartition = new Map<number, string[]>();
      for (const id of waiting) {
        const k = partitions.ofShotId(id)!;
        byPartition.set(k, [...(byPartition.get(k) ?? []), id]);
      }
      await Promise.all([...byPartition].map(([k, ids]) => poll(ids, k)));
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    seen,
    watch(ids: readonly string[]) {
      for (const id of ids) if (!seen.has(id)) waiting.add(id);
    },
    async until(n: number, timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      while (seen.size < n) {
        if (Date.now() > deadline)
          throw new Error(`only ${seen.size} of ${n} shots reached the ledger in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      stop = true;
      await loop;
    },
  };
}

/**
 * Throughput: `n` shots submitted in batches as fast as the API takes them (the first few to warm up,
 * the rest timed), until all are in the ledger; with the commands each server ran (their share of the
 * total), the CPU each process used, and the memory they kept.
 */
export async function shotcallerThroughput(target: BenchTarget, n: number, mode: BenchMode = 'one-process') {
  const deployment = `bench-t-${Date.now()}`;
  const { running, client, processes } = await shotcaller(target, deployment, mode);
  const watcher = ledgerWatcher(target, deployment);
  // Warmed up first, as the bare-BullMQ baseline is: the first fifth of the shots (at most 200) go
  // through every role before the clock starts, so the rates are of a running deployment, not of its
  // first second. Bytes are of all `n`: Redis's tables grow in powers of two, so a count just past
  // 1,024 would cost more a shot than the 1,000 measured before.
  const warm = Math.min(200, Math.floor(n / 5));
  const measured = n - warm;
  try {
    if (warm > 0) {
      const reply = await client.submitBatch(
        Array.from({ length: warm }, (_, j) => benchShot(target, deployment, j)),
      );
      watcher.watch(reply.results.map((r) => r.shotId!));
      await watcher.until(warm, 120_000);
    }
    const memoryBefore = await perServer(target.servers, usedMemory);
    const commandsBefore = await perServer(target.servers, totalCommands);
    const cpuBefore = await cpuSnapshot(processes, target.servers);
    const started = performance.now();
    for (let i = warm; i < n; i += 250) {
      const reply = await client.submitBatch(
        Array.from({ length: Math.min(250, n - i) }, (_, j) => benchShot(target, deployment, i + j)),
      );
      watcher.watch(reply.results.map((r) => r.shotId!));
    }
    await watcher.until(n, 300_000);
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = await cpuSnapshot(processes, target.servers);
    const commands = (await perServer(target.servers, totalCommands)).map((c, i) => c - commandsBefore[i]!);
    // Retained once the pipeline is idle: the consumer groups' last acknowledgements are in.
    await new Promise((r) => setTimeout(r, 1_000));
    const memory = (await perServer(target.servers, usedMemory)).map((m, i) => m - memoryBefore[i]!);
    // What every delivered shot keeps, the warm-up's too.
    const retained = await retainedBytes(target.servers, deployment);
    const total = commands.reduce((a, b) => a + b, 0);
    return {
      shotsPerSecond: measured / seconds,
      commandsPerShot: total / measured,
      retainedBytesPerShot: retained.total / n,
      retainedBytesPerShotByPart: Object.fromEntries(
        Object.entries(retained.byPart).map(([part, bytes]) => [part, bytes / n]),
      ),
      usedMemoryGrowthPerShot: memory.reduce((a, b) => a + b, 0) / measured,
      commandShareByServer: commands.map((c) => c / total),
      // Where a shot's CPU goes, by process: what a change to one role costs or saves shows here first.
      cpuMsPerShotByProcess: Object.fromEntries(
        Object.entries(cpuAfter)
          .filter(([name]) => cpuBefore[name] !== undefined)
          .map(([name, ms]) => [name, (ms - cpuBefore[name]!) / measured]),
      ),
    };
  } finally {
    await watcher.close();
    await running.stop();
  }
}

/** Latency at a fixed offered load: one shot every 1000/rate ms; submission to the ledger showing it. */
export async function shotcallerLatency(target: BenchTarget, rate: number, seconds: number) {
  const deployment = `bench-l-${Date.now()}`;
  const { running, client } = await shotcaller(target, deployment);
  const watcher = ledgerWatcher(target, deployment);
  try {
    const submittedAt = new Map<string, number>();
    const n = rate * seconds;
    const t0 = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inFlight.push(
        (async () => {
          const at = performance.now();
          const { shot } = await client.submitShot(benchShot(target, deployment, i));
          submittedAt.set(shot.id, at);
          watcher.watch([shot.id]);
        })(),
      );
    }
    await Promise.all(inFlight);
    await watcher.until(n, 120_000);
    const latencies = [...submittedAt].map(([id, at]) => watcher.seen.get(id)! - at).sort((a, b) => a - b);
    return {
      offeredShotsPerSecond: rate,
      shots: n,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      p99Ms: percentile(latencies, 99),
    };
  } finally {
    await watcher.close();
    await running.stop();
  }
}

/** Where the commands of `n` shots go, with MONITOR attached (slow: run it apart from the timed runs). */
export async function shotcallerCommandBreakdown(redis: Redis, redisUrl: string, n: number) {
  const deployment = `bench-m-${Date.now()}`;
  const target = singleRedis(redis, redisUrl);
  const { running, client } = await shotcaller(target, deployment);
  const watcher = ledgerWatcher(target, deployment);
  try {
    // Wait for the roles' start-up commands to pass, so only the shots are counted.
    await new Promise((r) => setTimeout(r, 500));
    const breakdown = await breakdownOf(redis, async () => {
      const reply = await client.submitBatch(
        Array.from({ length: n }, (_, i) => benchShot(target, deployment, i)),
      );
      watcher.watch(reply.results.map((r) => r.shotId!));
      await watcher.until(n, 120_000);
    });
    const per = (counts: Record<string, number>) =>
      Object.fromEntries(
        Object.entries(counts)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => [k, v / n]),
      );
    return {
      shots: n,
      perShot: breakdown.total / n,
      byCommand: per(breakdown.byCommand),
      byPart: per(breakdown.byPart),
      byPartAndCommand: per(breakdown.byPartAndCommand),
    };
  } finally {
    await watcher.close();
    await running.stop();
  }
}
