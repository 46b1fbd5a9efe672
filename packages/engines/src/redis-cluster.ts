import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { redisServerBinary } from './binaries';
import { EngineFailedToStart } from './errors';
import { freePorts } from './free-port';
import { SupervisedProcess } from './supervised-process';
import { waitUntil } from './wait-until';

export interface RedisClusterHandle {
  nodes: Array<{ host: string; port: number }>;
  /** A cluster client; the caller disconnects it. */
  connect(): Cluster;
  stop(): Promise<void>;
}

async function pings(port: number): Promise<boolean> {
  const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function clusterOk(port: number): Promise<boolean> {
  const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    const info = (await client.cluster('INFO')) as string;
    return /cluster_state:ok/.test(info);
  } finally {
    client.disconnect();
  }
}

/**
 * Starts a Redis Cluster of `masters` redis-server processes (no replicas) on free ports and assigns
 * the slots, the way `redis-cli --cluster create` does, so tests can run the queues and the event log
 * on a real cluster.
 */
export async function startRedisCluster(options: { masters?: number } = {}): Promise<RedisClusterHandle> {
  const binary = redisServerBinary();
  const masters = options.masters ?? 3;
  const ports = await freePorts(masters);
  const dir = await mkdtemp(join(tmpdir(), 'shotcaller-cluster-'));
  const procs = ports.map(
    (port) =>
      new SupervisedProcess('redis-server', binary, [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfilename',
        `appendonly-${port}.aof`,
        '--appenddirname',
        `aof-${port}`,
        '--save',
        '',
        '--loglevel',
        'warning',
      ]),
  );
  const stop = async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  const answering = await waitUntil(
    async () => (await Promise.all(ports.map((p) => pings(p)))).every(Boolean),
    {
      timeoutMs: 15_000,
    },
  );
  if (!answering.ok) {
    await stop();
    throw new EngineFailedToStart(
      'redis cluster',
      answering.reason,
      procs.map((p) => p.logTail(5)).join('\n'),
    );
  }
  const redisCli = binary.replace(/redis-server$/, 'redis-cli');
  const create = spawn(
    redisCli,
    [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  create.stdout.on('data', (c) => {
    output += c;
  });
  create.stderr.on('data', (c) => {
    output += c;
  });
  const code = await new Promise<number | null>((resolve) => create.once('exit', resolve));
  const up =
    code === 0
      ? await waitUntil(
          async () => (await Promise.all(ports.map((p) => clusterOk(p).catch(() => false)))).every(Boolean),
          {
            timeoutMs: 30_000,
            intervalMs: 200,
          },
        )
      : ({ ok: false, reason: `redis-cli --cluster create exited ${code}` } as const);
  if (!up.ok) {
    await stop();
    throw new EngineFailedToStart('redis cluster', up.reason, output.slice(-2000));
  }
  const nodes = ports.map((port) => ({ host: '127.0.0.1', port }));
  return {
    nodes,
    connect: () => new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: null } }),
    stop,
  };
}
