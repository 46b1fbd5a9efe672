import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger, ShotcallerConfig } from '@shotcaller/platform';
import { type RedisTarget, redisTargetOf } from './redis-connection';

export interface Engines {
  redis: RedisTarget;
  temporalAddress?: string;
  stop(): Promise<void>;
}

/**
 * Connects to the configured Redis and Temporal, or starts them for this process when none is
 * configured: a redis-server with its AOF under the data dir, and a Temporal dev server whose state
 * file is there too, so a restarted `shotcaller start` finds its work again.
 */
export async function ensureEngines(
  config: ShotcallerConfig,
  logger: Logger,
  needs: { temporal: boolean },
): Promise<Engines> {
  const stops: Array<() => Promise<void>> = [];
  const dataDir = resolve(config.dataDir);
  let target = redisTargetOf(config.redis);
  // Imported only when an engine is started here: deployed roles are given theirs, and skip its code.
  const engines = () => import('@shotcaller/engines');
  if (!target) {
    const { startRedisServer } = await engines();
    mkdirSync(`${dataDir}/redis`, { recursive: true });
    const redis = await startRedisServer({ dataDir: `${dataDir}/redis` });
    stops.push(() => redis.stop());
    target = { kind: 'url', url: redis.url };
    logger.info({ url: redis.url, dataDir: redis.dataDir }, 'started redis-server');
  }
  let temporalAddress = config.temporal.address;
  if (!temporalAddress && needs.temporal) {
    const { startTemporalDevServer } = await engines();
    mkdirSync(dataDir, { recursive: true });
    const temporal = await startTemporalDevServer({
      namespace: config.temporal.namespace,
      dbFile: `${dataDir}/temporal.db`,
    });
    stops.push(() => temporal.stop());
    temporalAddress = temporal.address;
    logger.info({ address: temporalAddress }, 'started temporal dev server');
  }
  return {
    redis: target,
    ...(temporalAddress ? { temporalAddress } : {}),
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
