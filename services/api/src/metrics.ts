import type { Queue } from 'bullmq';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The API's Prometheus metrics, on a registry of its own so several servers in one process don't collide. */
export function createMetrics(queues: Record<string, Queue>) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'shotcaller_' });
  const requests = new Counter({
    name: 'shotcaller_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'shotcaller_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // Labelled by reason and kind only: never by token, which would put a credential (or its hash) in Prometheus.
  const authFailures = new Counter({
    name: 'shotcaller_auth_failures_total',
    help: 'Requests refused for want of a valid credential, by reason (missing_token, not_bearer, unknown_token)',
    labelNames: ['reason'],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'shotcaller_rate_limited_total',
    help: 'Requests refused with 429, by kind of route (read, write, events, expensive, unauthenticated, streams)',
    labelNames: ['limit'],
    registers: [registry],
  });
  const sseStreams = new Gauge({
    name: 'shotcaller_sse_streams',
    help: 'Live event streams open on this replica',
    registers: [registry],
  });
  const sseDropped = new Counter({
    name: 'shotcaller_sse_dropped_total',
    help: 'Live event streams the server closed, by reason (stalled: the client stopped reading; overflow: too much unsent)',
    labelNames: ['reason'],
    registers: [registry],
  });
  new Gauge({
    name: 'shotcaller_queue_jobs',
    help: 'Jobs in each BullMQ queue by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const [name, queue] of Object.entries(queues)) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
        for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
      }
    },
  });
  return { registry, requests, duration, authFailures, rateLimited, sseStreams, sseDropped };
}
export type ApiMetrics = ReturnType<typeof createMetrics>;
