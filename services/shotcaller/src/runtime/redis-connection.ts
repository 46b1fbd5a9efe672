import type { RedisClient } from '@shotcaller/events';
import type { ShotcallerConfig } from '@shotcaller/platform';
import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** Which Redis to talk to: a URL (one server), a cluster by its seed nodes, or a Sentinel set. */
export type RedisTarget =
  | { kind: 'url'; url: string }
  | { kind: 'cluster'; nodes: string[] }
  | { kind: 'sentinel'; sentinels: string[]; name: string };

/** The configured target, or none when `shotcaller` is to start its own redis-server. */
export function redisTargetOf(redis: ShotcallerConfig['redis']): RedisTarget | undefined {
  if (redis.url) return { kind: 'url', url: redis.url };
  if (redis.cluster) return { kind: 'cluster', nodes: redis.cluster.nodes };
  if (redis.sentinel) return { kind: 'sentinel', ...redis.sentinel };
  return undefined;
}

/** How the target reads in logs and the start banner (never with a password). */
export function describeRedisTarget(target: RedisTarget): string {
  if (target.kind === 'url') return target.url.replace(/\/\/[^@/]*@/, '//***@');
  if (target.kind === 'cluster') return `cluster ${target.nodes.join(',')}`;
  return `sentinel ${target.name} via ${target.sentinels.join(',')}`;
}

const hostPort = (s: string) => {
  const i = s.lastIndexOf(':');
  return { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
};

/**
 * A connection to the target. BullMQ workers need commands that never give up while Redis restarts or
 * fails over: maxRetriesPerRequest null, on every node of a cluster too.
 */
export function connectRedis(target: RedisTarget, settings: ShotcallerConfig['redis']): RedisClient {
  const auth: RedisOptions = {
    maxRetriesPerRequest: null,
    ...(settings.username ? { username: settings.username } : {}),
    ...(settings.password ? { password: settings.password } : {}),
    ...(settings.tls ? { tls: {} } : {}),
  };
  if (target.kind === 'url') return new Redis(target.url, { maxRetriesPerRequest: null });
  if (target.kind === 'cluster') return new Cluster(target.nodes.map(hostPort), { redisOptions: auth });
  return new Redis({
    ...auth,
    sentinels: target.sentinels.map(hostPort),
    name: target.name,
    ...(settings.username ? { sentinelUsername: settings.username } : {}),
    ...(settings.password ? { sentinelPassword: settings.password } : {}),
    ...(settings.tls ? { enableTLSForSentinelMode: true } : {}),
  });
}
