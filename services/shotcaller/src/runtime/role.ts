import type { Partitions, RedisClient } from '@shotcaller/events';
import type { Logger, ShotcallerConfig } from '@shotcaller/platform';

export const roleNames = [
  'api',
  'router',
  'genai-worker',
  'vendor-worker',
  'temporal-worker',
  'budget',
  'compliance',
  'notifier',
  'kitsu-sync',
] as const;
export type RoleName = (typeof roleNames)[number];

/** What every role gets: the configuration, a Redis connection, the engines' addresses, a logger per role. */
export interface RoleContext {
  config: ShotcallerConfig;
  redis: RedisClient;
  /** The Redis as it reads in logs. */
  redisUrl: string;
  temporalAddress?: string;
  logger(role: RoleName): Logger;
  /** A name unique to this process, for consumer groups and Temporal worker identity. */
  instance: string;
  /** The deployment's partitions and those this process serves. */
  partitions: Partitions;
  /**
   * Set while a partition-scoped role starts for one partition: `config.deployment` is then that
   * partition's keyspace, so every key the role's packages make is the partition's.
   */
  partition?: number;
}

export interface RunningRole {
  name: RoleName;
  /** Where it listens, for roles that do. */
  url?: string;
  stop(): Promise<void>;
}

export type RoleStarter = (ctx: RoleContext) => Promise<RunningRole>;
