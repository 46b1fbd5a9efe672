/**
 * `pnpm bench`: Shotcaller against a bare-BullMQ baseline on the same Redis in the same run; never part
 * of the tests. Prints a table and writes bench-results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, startRedisCluster, startRedisServer } from '@shotcaller/engines';
import { Redis } from 'ioredis';
import { bareBullmq } from './baseline';
import {
  type BenchTarget,
  shotcallerCommandBreakdown,
  shotcallerLatency,
  shotcallerThroughput,
  singleRedis,
} from './shotcaller-e2e';
import { simulationOfRecordedShots } from './simulation';

const size = Number(process.env.BENCH_SHOTS ?? 1000);
/** Offered loads for the latency runs: the target's 200/s, and a lighter one that shows where the latency holds. */
const rates = (process.env.BENCH_RATES ?? '50,200').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const simShots = Number(process.env.BENCH_SIM_SHOTS ?? 10_000);
const clusterPartitions = Number(process.env.BENCH_CLUSTER_PARTITIONS ?? 24);
const clusterShows = Number(process.env.BENCH_CLUSTER_SHOWS ?? 72);

/**
 * The same end-to-end run on a Redis Cluster of three masters (no replicas: they would take the CPU
 * the roles need on a small machine), the deployment in partitions, the shots spread over many shows.
 */
async function onCluster(n: number) {
  const cluster = await startRedisCluster({ masters: 3 });
  const client = cluster.connect();
  const masters = cluster.nodes.map(({ port }) => new Redis({ port, maxRetriesPerRequest: null }));
  try {
    const target: BenchTarget = {
      redis: { cluster: { nodes: cluster.nodes.map(({ host, port }) => `${host}:${port}`) } },
      partitions: clusterPartitions,
      shows: Array.from({ length: clusterShows }, (_, i) => `SH${String(i + 1).padStart(2, '0')}`),
      servers: masters,
      client,
    };
    return { masters: masters.length, ...(await shotcallerThroughput(target, n)) };
  } finally {
    for (const m of masters) m.disconnect();
    client.disconnect();
    await cluster.stop();
  }
}

const server = process.env.REDIS_URL ? undefined : await startRedisServer();
const redisUrl = process.env.REDIS_URL ?? server!.url;
const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
try {
  console.log(`Redis ${redisUrl}; ${size} shots / jobs per throughput run`);
  // The ratios below divide by this. A first run of a thousand jobs is cold (JIT, Redis's allocations):
  // it gave 2,900 to 5,000 jobs/s where warm runs give 7,500 to 9,800. So: one run to warm up, then
  // three of at least 5,000 jobs each, and the median.
  await bareBullmq(redis, 1_000);
  const bareRuns = [];
  for (let i = 0; i < 3; i++) bareRuns.push(await bareBullmq(redis, Math.max(size, 5_000)));
  const baseline = [...bareRuns].sort((a, b) => a.jobsPerSecond - b.jobsPerSecond)[1]!;
  console.log(
    `bare BullMQ: ${baseline.jobsPerSecond.toFixed(0)} jobs/s (warmed up; median of ${bareRuns.map((r) => r.jobsPerSecond.toFixed(0)).join(', ')})`,
  );
  const single = singleRedis(redis, redisUrl);
  const throughput = await shotcallerThroughput(single, size);
  console.log(`Shotcaller, all roles in one process: ${throughput.shotsPerSecond.toFixed(1)} shots/s`);
  const processes = await shotcallerThroughput(single, size, 'processes');
  console.log(`Shotcaller, a process per role: ${processes.shotsPerSecond.toFixed(1)} shots/s`);
  const cluster = await onCluster(size);
  console.log(
    `Shotcaller on a ${cluster.masters}-master Redis Cluster: ${cluster.shotsPerSecond.toFixed(1)} shots/s`,
  );
  const latencies = [];
  for (const rate of rates) {
    const latency = await shotcallerLatency(single, rate, seconds);
    console.log(`latency at ${rate} shots/s: p50 ${latency.p50Ms.toFixed(0)} ms`);
    latencies.push(latency);
  }
  const breakdown = await shotcallerCommandBreakdown(redis, redisUrl, Math.min(size, 200));
  const simulation = await simulationOfRecordedShots(redis, simShots);
  console.log(`what-if of ${simShots} recorded shots: ${simulation.totalSeconds.toFixed(2)} s`);

  const results = {
    at: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    bareBullmq: { ...baseline, runs: bareRuns.map((r) => r.jobsPerSecond) },
    shotcaller: throughput,
    shotcallerProcesses: processes,
    ratio: throughput.shotsPerSecond / baseline.jobsPerSecond,
    ratioProcesses: processes.shotsPerSecond / baseline.jobsPerSecond,
    cluster,
    latency: latencies,
    commandsPerShotByPart: breakdown.byPart,
    commandsPerShotByCommand: breakdown.byCommand,
    simulation,
  };
  const dir = join(repoRoot(), 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  const f = (n: number, d = 1) => n.toFixed(d);
  console.table({
    'bare BullMQ (add in bulk, no-op worker)': {
      'per second': f(baseline.jobsPerSecond),
      'Redis commands each': f(baseline.commandsPerJob),
    },
    'Shotcaller end to end (submit → ledger), one process': {
      'per second': f(throughput.shotsPerSecond),
      'Redis commands each': f(throughput.commandsPerShot),
      'Redis bytes retained each': f(throughput.retainedBytesPerShot, 0),
      'used_memory growth each': f(throughput.usedMemoryGrowthPerShot, 0),
    },
    'Shotcaller end to end, a process per role': {
      'per second': f(processes.shotsPerSecond),
      'Redis commands each': f(processes.commandsPerShot),
      'Redis bytes retained each': f(processes.retainedBytesPerShot, 0),
      'used_memory growth each': f(processes.usedMemoryGrowthPerShot, 0),
    },
    [`Shotcaller end to end, one process, ${cluster.masters}-master Redis Cluster`]: {
      'per second': f(cluster.shotsPerSecond),
      'Redis commands each': f(cluster.commandsPerShot),
      'Redis bytes retained each': f(cluster.retainedBytesPerShot, 0),
      'used_memory growth each': f(cluster.usedMemoryGrowthPerShot, 0),
    },
  });
  console.log(
    `each master's share of the cluster's commands (${clusterPartitions} partitions, ${clusterShows} shows): ${cluster.commandShareByServer.map((s) => `${f(s * 100)} %`).join(', ')}`,
  );
  console.log(
    'CPU a shot takes, by process (ms; the bench process also runs the client and the ledger watcher):',
  );
  console.table(
    Object.fromEntries(
      [
        ...Object.entries(throughput.cpuMsPerShotByProcess).map(
          ([p, ms]) => [`one process: ${p}`, ms] as const,
        ),
        ...Object.entries(processes.cpuMsPerShotByProcess).map(
          ([p, ms]) => [`a process per role: ${p}`, ms] as const,
        ),
      ].map(([p, ms]) => [p, { 'CPU ms per shot': f(ms, 2) }]),
    ),
  );
  console.log(
    "What a delivered shot keeps in Redis once the pipeline is idle (bytes, MEMORY USAGE of the deployment's keys):",
  );
  console.table(
    Object.fromEntries(
      Object.entries(throughput.retainedBytesPerShotByPart)
        .sort((a, b) => b[1] - a[1])
        .map(([part, n]) => [part, { 'bytes per shot': f(n, 0) }]),
    ),
  );
  console.log(
    `Where a shot's Redis commands go (MONITOR over ${breakdown.shots} shots, Lua's inner commands included):`,
  );
  console.table(
    Object.fromEntries(
      Object.entries(breakdown.byPart).map(([part, n]) => [part, { 'commands per shot': f(n) }]),
    ),
  );
  console.table(
    Object.fromEntries(
      Object.entries(breakdown.byPartAndCommand)
        .filter(([, n]) => n >= 1)
        .map(([k, n]) => [k, { 'commands per shot': f(n) }]),
    ),
  );
  console.log(
    `Shotcaller / bare BullMQ throughput: ${f(results.ratio * 100, 2)} % in one process, ${f(results.ratioProcesses * 100, 2)} % with a process per role`,
  );
  for (const latency of latencies)
    console.log(
      `submission → ledger at ${latency.offeredShotsPerSecond} shots/s offered (${latency.shots} shots): p50 ${f(latency.p50Ms, 0)} ms, p95 ${f(latency.p95Ms, 0)} ms, p99 ${f(latency.p99Ms, 0)} ms`,
    );
  console.log(
    `what-if over ${simulation.shots} recorded shots: read ${f(simulation.readSeconds, 2)} s + replay ${f(simulation.simulateSeconds, 2)} s`,
  );
  console.log(`written to ${join(dir, 'latest.json')}`);
} finally {
  redis.disconnect();
  await server?.stop();
}
