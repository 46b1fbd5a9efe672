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
  /** Kills the redis-server on `port` with SIGKILL, as a crashed machine would go. */
  kill(port: number): Promise<void>;
  /** Starts a killed node again on its data: it rejoins the cluster (as a replica, once failed over). */
  restart(port: number): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisClusterOptions {
  masters?: number;
  /** Replicas of each master; a master's failure promotes one of them. */
  replicas?: number;
  /** How long a node may be unreachable before it counts as failed (`cluster-node-timeout`). */
  nodeTimeoutMs?: number;
}

async function pings(port: number): Promise<boolean> {
  const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // A probe of a server that may not be up yet: connect() rejects with the same error, and the caller retries.
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

/**
 * How a node sees the cluster: not ready, or ready as a master or as a replica. A node is ready once it
 * knows every node (so a client sees replicas as well as masters from the start) and, as a replica,
 * once its first sync is done: until then it holds nothing, yet a failover could promote it.
 */
async function nodeReadiness(port: number, size: number): Promise<'not ready' | 'master' | 'replica'> {
  const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // A probe of a server that may not be up yet: connect() rejects with the same error, and the caller retries.
  client.on('error', () => {});
  try {
    await client.connect();
    const info = (await client.cluster('INFO')) as string;
    if (!/cluster_state:ok/.test(info) || !new RegExp(`cluster_known_nodes:${size}\\b`).test(info))
      return 'not ready';
    const replication = await client.info('replication');
    if (!/role:slave/.test(replication)) return 'master';
    return /master_link_status:up/.test(replication) ? 'replica' : 'not ready';
  } finally {
    client.disconnect();
  }
}

/**
 * Starts a Redis Cluster of `masters` redis-server processes, each with `replicas` replicas, on free
 * ports and assigns the slots with `redis-cli --cluster create`, so tests can run the queues and the
 * event log on a real cluster, and kill a master to see a replica take over.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisClusterHandle> {
  const binary = redisServerBinary();
  const masters = options.masters ?? 3;
  const replicas = options.replicas ?? 0;
  const ports = await freePorts(masters * (1 + replicas));
  const dir = await mkdtemp(join(tmpdir(), 'shotcaller-cluster-'));
  const start = (port: number) =>
    new SupervisedProcess('redis-server', binary, [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--cluster-enabled',
      'yes',
      '--cluster-node-timeout',
      String(options.nodeTimeoutMs ?? 15_000),
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
      // A replica's first sync starts at once instead of waiting 5 s for others to join it.
      '--repl-diskless-sync-delay',
      '0',
      '--loglevel',
      'warning',
    ]);
  const procs = ports.map(start);
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
      String(replicas),
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
          async () => {
            const seen = await Promise.all(
              ports.map((p) => nodeReadiness(p, ports.length).catch(() => 'not ready' as const)),
            );
            return (
              !seen.includes('not ready') && seen.filter((r) => r === 'replica').length === masters * replicas
            );
          },
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
    async kill(port) {
      const proc = procs[ports.indexOf(port)];
      if (!proc) throw new Error(`No node of this cluster listens on ${port}`);
      const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0 });
      await client.connect();
      const pid = Number(/process_id:(\d+)/.exec(await client.info('server'))?.[1]);
      client.disconnect();
      process.kill(pid, 'SIGKILL');
      await waitUntil(async () => !(await pings(port)), { timeoutMs: 10_000 });
    },
    async restart(port) {
      const i = ports.indexOf(port);
      if (i < 0) throw new Error(`No node of this cluster listens on ${port}`);
      await procs[i]!.stop();
      procs[i] = start(port);
      const back = await waitUntil(() => pings(port), { timeoutMs: 15_000 });
      if (!back.ok) throw new EngineFailedToStart('redis cluster node', back.reason, procs[i]!.logTail(5));
    },
    stop,
  };
}
