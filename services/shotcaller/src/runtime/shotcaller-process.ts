import { hostname } from 'node:os';
import {
  claimPartitionCount,
  Partitions,
  parsePartitionSet,
  type RedisClient,
  requireReplicaAcks,
} from '@shotcaller/events';
import { createLogger, type ShotcallerConfig } from '@shotcaller/platform';
import { ensureEngines } from './engines';
import { connectRedis, describeRedisTarget } from './redis-connection';
import type { RoleName, RunningRole } from './role';
import { roles, startRoles } from './roles';

export interface RunningShotcaller {
  roles: RunningRole[];
  /** The Redis it talks to, as it reads in logs (a URL, a cluster's nodes, a Sentinel set). */
  redisUrl: string;
  apiUrl?: string;
  redis: RedisClient;
  /** The deployment's partitions and those this process serves. */
  partitions: Partitions;
  stop(): Promise<void>;
}

/** Every role this version can run. */
export const availableRoles = Object.keys(roles) as RoleName[];

/** Starts the engines if none are configured, then the roles, in one process. */
export async function startShotcaller(
  config: ShotcallerConfig,
  names: readonly RoleName[] = availableRoles,
  options: {
    /** The partitions this process serves, e.g. `0-7`; all of them when absent. */
    partitions?: string;
  } = {},
): Promise<RunningShotcaller> {
  // Each role's lines carry its name (a child logger below); the process's own lines carry none.
  const logger = createLogger({ level: config.log.level, deployment: config.deployment });
  const needsTemporal = names.some((n) => n === 'vendor-worker' || n === 'temporal-worker');
  const engines = await ensureEngines(config, logger, { temporal: needsTemporal });
  const redis = connectRedis(engines.redis, config.redis);
  requireReplicaAcks(redis, config.redis.replicaAcks);
  try {
    const count = await claimPartitionCount(redis, config.deployment, config.redis.partitions);
    const partitions = new Partitions(
      config.deployment,
      count,
      options.partitions ? parsePartitionSet(options.partitions, count) : undefined,
    );
    if (count > 1) logger.info({ partitions: count, served: partitions.served }, 'partitions');
    const running = await startRoles(names, {
      partitions,
      config,
      redis,
      redisUrl: describeRedisTarget(engines.redis),
      ...(engines.temporalAddress ? { temporalAddress: engines.temporalAddress } : {}),
      logger: (role) => logger.child({ role }),
      instance: `${hostname()}-${process.pid}`,
    });
    const apiUrl = running.find((r) => r.url)?.url;
    return {
      roles: running,
      redisUrl: describeRedisTarget(engines.redis),
      ...(apiUrl ? { apiUrl } : {}),
      redis,
      partitions,
      async stop() {
        for (const role of [...running].reverse()) await role.stop();
        redis.disconnect();
        await engines.stop();
      },
    };
  } catch (error) {
    redis.disconnect();
    await engines.stop();
    throw error;
  }
}
