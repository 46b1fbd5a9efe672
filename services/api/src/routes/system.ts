import { errorMessage } from '@shotcaller/contracts';
import type { RedisClient } from '@shotcaller/events';
import { z } from 'zod';
import type { ApiMetrics } from '../metrics';
import { type RouteSpec, route } from '../route-spec';

const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.string()).optional(),
});

/** Health probes and metrics. Probes need no token: orchestrators call them without one and they reveal nothing. */
export function systemRoutes(deps: {
  redis: RedisClient;
  metrics: ApiMetrics;
  openApi: () => unknown;
}): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/healthz',
      summary: 'Liveness: the process answers',
      tag: 'system',
      limit: 'none',
      responses: { 200: { description: 'Alive', schema: Health } },
      handler: async () => ({ status: 'ok' }),
    }),
    route({
      method: 'GET',
      url: '/readyz',
      summary: 'Readiness: Redis answers',
      tag: 'system',
      limit: 'none',
      responses: {
        200: { description: 'Ready', schema: Health },
        503: { description: 'Not ready', schema: Health },
      },
      handler: async ({ reply }) => {
        const redis = await deps.redis.ping().then((r) => (r === 'PONG' ? 'ok' : r), errorMessage);
        reply.code(redis === 'ok' ? 200 : 503);
        return { status: redis === 'ok' ? 'ok' : 'unavailable', checks: { redis } };
      },
    }),
    route({
      method: 'GET',
      url: '/metrics',
      summary: 'Prometheus metrics',
      tag: 'system',
      permission: 'metrics:read',
      responses: { 200: { description: 'Prometheus text exposition', contentType: 'text/plain' } },
      handler: async ({ reply }) => {
        reply.header('content-type', deps.metrics.registry.contentType);
        return deps.metrics.registry.metrics();
      },
    }),
    route({
      method: 'GET',
      url: '/openapi.json',
      summary: 'This API, described in OpenAPI 3.1',
      tag: 'system',
      responses: { 200: { description: 'The OpenAPI document' } },
      handler: async () => deps.openApi(),
    }),
  ];
}
