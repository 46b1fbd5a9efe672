import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { redisServerBinary } from './binaries';
import { EngineFailedToStart } from './errors';
import { freePort } from './free-port';
import { SupervisedProcess } from './supervised-process';
import { waitUntil } from './wait-until';

export interface RedisServerOptions {
  port?: number;
  /** Where the AOF lives; a new temp folder when not given (and removed on stop). */
  dataDir?: string;
  startTimeoutMs?: number;
}

export interface RedisServerHandle {
  url: string;
  port: number;
  dataDir: string;
  process: SupervisedProcess;
  /** Shuts the server down cleanly (it rewrites nothing; the AOF is already on disk). */
  stop(): Promise<void>;
}

async function answersPing(port: number): Promise<boolean> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // A probe of a server that may not be up yet: connect() rejects with the same error, and the caller retries.
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } finally {
    client.disconnect();
  }
}

/** Starts Debian's redis-server on a free loopback port with AOF on, and waits until it answers. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServerHandle> {
  const binary = redisServerBinary();
  const port = options.port ?? (await freePort());
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'shotcaller-redis-')));
  const proc = new SupervisedProcess('redis-server', binary, [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dataDir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--daemonize',
    'no',
    '--protected-mode',
    'yes',
    '--loglevel',
    'warning',
  ]);
  const ready = await waitUntil(() => answersPing(port), {
    timeoutMs: options.startTimeoutMs ?? 15_000,
    aborted: () => (proc.running ? undefined : 'the process exited'),
  });
  if (!ready.ok) {
    await proc.stop();
    throw new EngineFailedToStart('redis-server', ready.reason, proc.logTail());
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dataDir,
    process: proc,
    async stop() {
      await proc.stop();
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
