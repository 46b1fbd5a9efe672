import { Partitions } from '@shotcaller/events';
import { ShotcallerConfig } from '@shotcaller/platform';
import { ShotPartitions } from '@shotcaller/shots';
import { Redis } from 'ioredis';
import { openApiDocument } from './openapi';
import { apiRoutes, apiVersion } from './server';

/**
 * The OpenAPI document of the default configuration, built without a server: routes only touch
 * Redis when a request arrives, so a client that never connects is enough to list them.
 */
export function describeApi(): Record<string, unknown> {
  const redis = new Redis({ lazyConnect: true, enableOfflineQueue: false });
  const config = ShotcallerConfig.parse({});
  const routes = apiRoutes({
    config,
    redis,
    shots: new ShotPartitions(redis, new Partitions(config.deployment, 1)),
    queues: {},
  });
  redis.disconnect();
  return openApiDocument(routes, { version: apiVersion });
}

export function renderOpenApi(): string {
  return `${JSON.stringify(describeApi(), null, 2)}\n`;
}
