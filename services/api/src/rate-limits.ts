import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import RedisStore from '@fastify/rate-limit/store/RedisStore.js';
import { deploymentPrefix, type RedisClient } from '@shotcaller/events';
import type { Logger, ShotcallerConfig } from '@shotcaller/platform';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { identityOf } from './caller';
import { RateLimited } from './errors';
import { LogThrottle } from './log-throttle';
import type { ApiMetrics } from './metrics';

/** The budgets a route can spend from; each caller has one of each per window. */
export const limitKinds = ['read', 'write', 'events', 'expensive'] as const;
export type LimitKind = (typeof limitKinds)[number];
export type Limiters = Record<LimitKind, onRequestAsyncHookHandler>;

type Settings = ShotcallerConfig['api']['rateLimits'];

const what: Record<LimitKind | 'unauthenticated', string> = {
  read: 'This token has made too many read requests',
  write: 'This token has made too many changes',
  events: 'This token has opened too many live event streams',
  expensive: 'This token has asked for too many rebuilds, simulations or imports',
  unauthenticated: 'Too many requests without a valid token from this address',
};

/**
 * Registers @fastify/rate-limit with its Redis store on the api's connection, so every replica of the
 * deployment counts against the same keys (`{sc:<deployment>}:ratelimit:<kind>:<principal id>`), and
 * returns one onRequest hook per budget. A caller without a valid token spends one shared budget per
 * address, which is also what slows down guessing tokens.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  deps: { redis: RedisClient; deployment: string; settings: Settings; metrics: ApiMetrics; logger: Logger },
): Promise<Limiters | undefined> {
  const { settings } = deps;
  if (!settings.enabled) return undefined;
  const store = new RedisStore(false, false, deps.redis, `${deploymentPrefix(deps.deployment)}ratelimit:`);
  await app.register(rateLimit, {
    global: false,
    // One store for every budget: the key names the budget, so routes of one kind share a count.
    store: class {
      incr = store.incr.bind(store);
      read = store.read.bind(store);
      child() {
        return this;
      }
    },
    // A Redis outage must not turn into refusing every request: readiness reports Redis, not the limiter.
    skipOnError: true,
  });
  const throttle = new LogThrottle();
  const limiter = (kind: LimitKind): onRequestAsyncHookHandler => {
    const budget = (request: FastifyRequest) => (identityOf(request) ? kind : 'unauthenticated');
    return app.rateLimit({
      hook: 'onRequest',
      timeWindow: settings.windowMs,
      max: (request) => settings[budget(request)],
      keyGenerator: (request) => {
        const principal = identityOf(request);
        return principal ? `${kind}:${principal.id}` : `unauthenticated:${normalizeIP(request.ip)}`;
      },
      onExceeded: (request, key) => {
        const limit = budget(request);
        deps.metrics.rateLimited.inc({ limit });
        const { log, suppressed } = throttle.take(key);
        if (log)
          deps.logger.warn(
            {
              limit,
              caller: identityOf(request)?.name ?? null,
              ip: request.ip,
              route: request.routeOptions.url,
              reqId: request.id,
              suppressed,
            },
            'rate limit reached',
          );
      },
      errorResponseBuilder: (request, context) =>
        new RateLimited(what[budget(request)], Math.max(1, Math.ceil(context.ttl / 1000))),
    }) as onRequestAsyncHookHandler;
  };
  return Object.fromEntries(limitKinds.map((kind) => [kind, limiter(kind)])) as Limiters;
}
