import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startRedisServer } from './redis-server';
import { startTemporalDevServer } from './temporal-dev-server';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    temporalAddress: string;
    temporalNamespace: string;
  }
}

/**
 * Starts the engines the integration tests run against, unless REDIS_URL / TEMPORAL_ADDRESS point at
 * servers someone already runs. A Redis that merely happens to be on 6379 is never used.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [redis, temporal] = await Promise.allSettled([
    process.env.REDIS_URL ? undefined : startRedisServer(),
    process.env.TEMPORAL_ADDRESS ? undefined : startTemporalDevServer(),
  ]);
  const stopAll = async () => {
    await Promise.all(
      [redis, temporal].map((r) => (r.status === 'fulfilled' && r.value ? r.value.stop() : undefined)),
    );
  };
  if (redis.status === 'rejected' || temporal.status === 'rejected') {
    await stopAll();
    throw redis.status === 'rejected' ? redis.reason : (temporal as PromiseRejectedResult).reason;
  }
  project.provide('redisUrl', process.env.REDIS_URL ?? redis.value!.url);
  project.provide('temporalAddress', process.env.TEMPORAL_ADDRESS ?? temporal.value!.address);
  project.provide(
    'temporalNamespace',
    process.env.TEMPORAL_NAMESPACE ?? temporal.value?.namespace ?? 'default',
  );
  return stopAll;
}
