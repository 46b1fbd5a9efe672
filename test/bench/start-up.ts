/**
 * `pnpm bench:start`: each role started as a process of its own, from the compiled program (what the
 * image runs) and from the sources through tsx (what production ran before), measured the same way:
 * the time from spawn until `shotcaller start` prints that its roles are running, and the process's
 * resident memory at that moment. Never part of the tests. Needs `pnpm build && pnpm run package`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableRoles } from '@shotcaller/cli';
import { startRedisServer, startTemporalDevServer } from '@shotcaller/engines';
import { stopProcess } from '../support/role-process';

const runs = Number(process.env.BENCH_START_RUNS ?? 3);
const sources = fileURLToPath(new URL('../../services/shotcaller/src/main.ts', import.meta.url));
const packaged = fileURLToPath(new URL('../../out/shotcaller/dist/main.js', import.meta.url));
if (!existsSync(packaged))
  throw new Error(`No compiled program at ${packaged}: run pnpm build && pnpm run package`);

/** How each way starts the program: the image's entrypoint, and the previous image's. */
const ways = {
  compiled: ['--conditions=shotcaller-compiled', '--enable-source-maps', packaged],
  tsx: ['--import', 'tsx', sources],
} as const;
type Way = keyof typeof ways;

interface Sample {
  readyMs: number;
  rssMb: number;
}

function residentMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  if (!line) throw new Error(`no VmRSS for process ${pid}`);
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** Resolves with the sample once the process prints its ready line; rejects if it exits first. */
function whenReady(child: ChildProcess, started: bigint): Promise<Sample> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes('shotcaller running:')) return;
      const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({ readyMs, rssMb: residentMb(child.pid!) });
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before it was ready:\n${err}`)));
  });
}

async function startOnce(way: Way, role: string, env: Record<string, string>): Promise<Sample> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...ways[way], 'start', '--role', role], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    return await whenReady(child, started);
  } finally {
    await stopProcess(child, 'SIGTERM');
  }
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const redis = await startRedisServer();
const temporal = await startTemporalDevServer();
try {
  const samples = new Map<string, Sample[]>();
  for (let run = 0; run < runs; run++) {
    for (const role of availableRoles) {
      // Alternating the ways spreads whatever else the machine is doing over both.
      for (const way of (run % 2 === 0 ? ['compiled', 'tsx'] : ['tsx', 'compiled']) as Way[]) {
        const env = {
          REDIS_URL: redis.url,
          TEMPORAL_ADDRESS: temporal.address,
          TEMPORAL_NAMESPACE: temporal.namespace,
          SHOTCALLER_DEPLOYMENT: `bench-start-${run}`,
          SHOTCALLER_DATA_DIR: mkdtempSync(join(tmpdir(), 'shotcaller-bench-start-')),
          SHOTCALLER_API_PORT: '0',
        };
        const key = `${role}|${way}`;
        samples.set(key, [...(samples.get(key) ?? []), await startOnce(way, role, env)]);
      }
    }
  }
  const cell = (role: string, way: Way, field: keyof Sample) =>
    median(samples.get(`${role}|${way}`)!.map((s) => s[field]));
  const rows = availableRoles.map((role) => ({
    role,
    compiled: { ready: cell(role, 'compiled', 'readyMs'), rss: cell(role, 'compiled', 'rssMb') },
    tsx: { ready: cell(role, 'tsx', 'readyMs'), rss: cell(role, 'tsx', 'rssMb') },
  }));
  console.log(`\nEach role in a process of its own; median of ${runs} starts; RSS when it reports ready.\n`);
  console.log('| role | time to ready, compiled | time to ready, tsx | RSS, compiled | RSS, tsx |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of rows)
    console.log(
      `| ${r.role} | ${r.compiled.ready.toFixed(0)} ms | ${r.tsx.ready.toFixed(0)} ms | ` +
        `${r.compiled.rss.toFixed(0)} MB | ${r.tsx.rss.toFixed(0)} MB |`,
    );
} finally {
  await temporal.stop();
  await redis.stop();
}
