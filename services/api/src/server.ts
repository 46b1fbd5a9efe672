import fastifyCookie from '@fastify/cookie';
import { CompliancePartitions } from '@shotcaller/compliance';
import { errorMessage, ShotcallerError } from '@shotcaller/contracts';
import { dashboardDist } from '@shotcaller/dashboard';
import type { RedisClient } from '@shotcaller/events';
import { eventSource } from '@shotcaller/events';
import type { KitsuClient, KitsuMapping } from '@shotcaller/kitsu';
import type { Logger, ShotcallerConfig } from '@shotcaller/platform';
import type { SigningIdentity, X509Certificate } from '@shotcaller/provenance';
import type { ShotPartitions } from '@shotcaller/shots';
import { type ArtifactStore, createArtifactStore, presignedOrigin, UploadTokens } from '@shotcaller/storage';
import type { TicketClient } from '@shotcaller/vendor-tickets';
import type { Queue } from 'bullmq';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  LogController,
} from 'fastify';
import type { Authenticator } from './authenticator';
import { serveDashboard } from './dashboard';
import { LogThrottle } from './log-throttle';
import { createMetrics } from './metrics';
import { type OidcAuthentication, oidcAuthentication } from './oidc';
import { openApiDocument } from './openapi';
import { toProblem } from './problems';
import { registerRateLimits } from './rate-limits';
import { type RouteSpec, registerRoutes, sessionCookieName } from './route-spec';
import { budgetRoutes } from './routes/budget';
import { budgetAccuracyRoutes } from './routes/budget-accuracy';
import { complianceRoutes } from './routes/compliance';
import { eventRoutes } from './routes/events';
import { fxRateRoutes } from './routes/fx-rates';
import { kitsuRoutes } from './routes/kitsu';
import { reportRoutes } from './routes/reports';
import { sessionRoutes } from './routes/session';
import { shotFileRoutes } from './routes/shot-files';
import { shotRoutes } from './routes/shots';
import { signInRoutes } from './routes/sign-in';
import { type SimulationContext, simulationRoutes } from './routes/simulations';
import { systemRoutes } from './routes/system';
import { turnoverRoutes } from './routes/turnovers';
import { vendorRoutes } from './routes/vendor';
import { registerSecurity } from './security';

export const apiVersion = '0.1.0';

export interface ApiDeps {
  config: ShotcallerConfig;
  redis: RedisClient;
  /** Every partition's shots: the api answers for every show. */
  shots: ShotPartitions;
  queues: Record<string, Queue>;
  authenticator: Authenticator;
  logger: Logger;
  /** Rate cards, provider profiles and rules for what-if simulations. */
  simulation?: SimulationContext;
  /** The studio's Kitsu, for imports; without it the import route answers 503. */
  kitsu?: { client: KitsuClient; mapping: KitsuMapping };
  /** The built dashboard (`pnpm build`); the default is the dashboard package's dist folder. */
  dashboardDir?: string;
  /** Vendor tickets' Temporal client; without it the ticket routes answer 503. */
  tickets?: TicketClient;
  /** Routes other roles' packages contribute. */
  extraRoutes?: RouteSpec[];
  /** Where frames, manifests and deliveries are; the configured store when absent. */
  artifacts?: ArtifactStore;
  /**
   * Content Credentials: who this deployment signs as (vendor deliveries get a signed sidecar; verify
   * recognises its own signer) and the trust anchors verify judges other signers by.
   */
  credentials?: { identity?: SigningIdentity; trustAnchors?: readonly X509Certificate[] };
  /** Sign-in with OpenID Connect (built from `auth.oidc` by buildApi). */
  oidc?: OidcAuthentication;
}

/** Whether cookies travel over HTTPS only: when people reach Shotcaller at an https URL. */
function secureCookies(config: ShotcallerConfig): boolean {
  return config.auth.oidc?.publicUrl.startsWith('https:') ?? false;
}

/** Every route of the API, in one list: what is registered and what the OpenAPI document describes. */
export function apiRoutes(
  deps: Omit<ApiDeps, 'authenticator' | 'logger'>,
  metrics = createMetrics({}),
): RouteSpec[] {
  const source = eventSource(deps.config.deployment, 'api');
  const { partitions } = deps.shots;
  const artifacts = deps.artifacts ?? createArtifactStore(deps.config.storage, deps.config.dataDir);
  const routes: RouteSpec[] = [
    ...shotRoutes({ store: deps.shots, commands: deps.shots, maxBatch: deps.config.api.maxBatch, source }),
    ...eventRoutes({ redis: deps.redis, partitions, sse: deps.config.api.sse, metrics }),
    ...budgetRoutes({ redis: deps.redis, partitions }),
    ...fxRateRoutes({ redis: deps.redis, partitions }),
    ...budgetAccuracyRoutes({
      redis: deps.redis,
      partitions,
      ...(deps.simulation ? { rates: deps.simulation.rates } : {}),
    }),
    ...complianceRoutes({
      registry: new CompliancePartitions(deps.redis, partitions),
      ruleConfig: deps.config.compliance.rules,
    }),
    ...reportRoutes({ redis: deps.redis, keyspaceOfShow: (show) => partitions.keyspaceOfShow(show) }),
    ...sessionRoutes(),
    ...signInRoutes({
      ...(deps.oidc ? { oidc: deps.oidc } : {}),
      sessionCookie: sessionCookieName(secureCookies(deps.config)),
      secure: secureCookies(deps.config),
    }),
    ...kitsuRoutes({ commands: deps.shots, source, ...(deps.kitsu ? { kitsu: deps.kitsu } : {}) }),
    ...shotFileRoutes({
      store: deps.shots,
      artifacts,
      ...(deps.credentials ? { credentials: deps.credentials } : {}),
    }),
    ...turnoverRoutes({
      shots: deps.shots,
      source,
      ...(deps.tickets ? { tickets: deps.tickets } : {}),
    }),
    ...vendorRoutes({
      redis: deps.redis,
      store: deps.shots,
      artifacts,
      ...(deps.credentials?.identity ? { signer: deps.credentials.identity } : {}),
      uploadTokens: new UploadTokens(deps.config.storage.uploadSigningKey),
      urlExpirySeconds: deps.config.storage.urlExpirySeconds,
      ...(deps.tickets ? { tickets: deps.tickets } : {}),
    }),
    ...(deps.simulation
      ? simulationRoutes({
          redis: deps.redis,
          keyspaceOfShow: (show) => partitions.keyspaceOfShow(show),
          context: deps.simulation,
        })
      : []),
    ...(deps.extraRoutes ?? []),
  ];
  routes.push(
    ...systemRoutes({
      redis: deps.redis,
      metrics,
      openApi: () => openApiDocument(routes, { version: apiVersion }),
    }),
  );
  return routes;
}

/** Builds the HTTP API: security headers, per-caller rate limits, auth on every route but the probes, zod-parsed inputs, RFC 9457 errors. */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const { api } = deps.config;
  const app = Fastify({
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: api.bodyLimitBytes,
    trustProxy: trustProxy(api.trustProxy),
    // Signed upload tokens travel in the path.
    routerOptions: { maxParamLength: 1_024 },
    // Errors Fastify raises before any route runs (a path too long, a bad URL) become problem documents too.
    frameworkErrors: (error, request, reply) => {
      const problem = toProblem(error, `/requests/${request.id}`);
      // The option's reply is typed for no route at all; it is a plain reply.
      void (reply as unknown as FastifyReply)
        .code(problem.status)
        .type('application/problem+json')
        .send(problem);
    },
    // Each timeout bounds how long one slow or silent client can hold a connection (docs/operations.md).
    http: {
      headersTimeout: api.timeouts.headersMs,
      requestTimeout: api.timeouts.requestMs,
      // Node checks those two on a timer (30 s by default): check often enough that they mean what they say.
      connectionsCheckingInterval: Math.max(100, Math.min(5_000, Math.floor(api.timeouts.headersMs / 4))),
    },
    requestTimeout: api.timeouts.requestMs,
    keepAliveTimeout: api.timeouts.keepAliveMs,
    connectionTimeout: api.timeouts.idleMs,
    handlerTimeout: api.timeouts.handlerMs,
    // Request ids in problem documents let a TD quote the failing call to an admin.
    genReqId: () => crypto.randomUUID(),
  });
  const metrics = createMetrics(deps.queues);
  // The API speaks JSON, except for the files uploaded to its signed upload URLs, which stream into the store.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  app.addHook('onResponse', async (request, reply) => {
    const routeUrl = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ method: request.method, route: routeUrl, status: reply.statusCode });
    metrics.duration.observe({ method: request.method, route: routeUrl }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500 && reply.statusCode !== 503)
      deps.logger.error({ route: routeUrl, status: reply.statusCode, reqId: request.id }, 'request failed');
  });

  app.setErrorHandler(async (error, request, reply) => {
    const problem = toProblem(error, `/requests/${request.id}`);
    // An error of ours (the store or Temporal being down), or Redis not answering, is already a sentence;
    // anything else needs its stack.
    if (problem.status >= 500 && (error instanceof ShotcallerError || problem.code === 'redis_unavailable'))
      deps.logger.warn(
        { code: problem.code, err: errorMessage(error), reqId: request.id },
        'request not served',
      );
    else if (problem.status >= 500) deps.logger.error({ err: error, reqId: request.id }, 'unhandled error');
    if (problem.status === 401) reply.header('www-authenticate', 'Bearer');
    if (problem.retryAfterSeconds !== undefined) reply.header('retry-after', problem.retryAfterSeconds);
    return reply.code(problem.status).type('application/problem+json').send(problem);
  });

  app.setNotFoundHandler(async (request, reply) => {
    const problem = {
      type: 'urn:shotcaller:problem:not_found',
      title: 'Not found',
      status: 404,
      detail: `No route ${request.method} ${request.url.split('?')[0]}; see /openapi.json`,
      code: 'not_found',
      instance: `/requests/${request.id}`,
    };
    return reply.code(404).type('application/problem+json').send(problem);
  });

  await registerSecurity(app, api, presignedOrigin(deps.config.storage));
  const limiters = await registerRateLimits(app, {
    redis: deps.redis,
    deployment: deps.config.deployment,
    settings: api.rateLimits,
    metrics,
    logger: deps.logger,
  });
  await app.register(fastifyCookie);
  const oidc = deps.config.auth.oidc
    ? oidcAuthentication(deps.config.auth.oidc, deps.redis, deps.config.deployment)
    : undefined;
  const failures = new LogThrottle();
  registerRoutes(app, apiRoutes({ ...deps, ...(oidc ? { oidc } : {}) }, metrics), {
    authenticator: oidc ? deps.authenticator.withOidc(oidc) : deps.authenticator,
    sessionCookie: sessionCookieName(secureCookies(deps.config)),
    ...(limiters ? { limiters } : {}),
    onAuthFailure(request, failure) {
      metrics.authFailures.inc({ reason: failure.failure });
      // The address and the reason, never the header: a mistyped token is still most of a token.
      const { log, suppressed } = failures.take(`${failure.failure}:${request.ip}`);
      if (log)
        deps.logger.warn(
          {
            reason: failure.failure,
            ip: request.ip,
            route: request.routeOptions.url,
            reqId: request.id,
            suppressed,
          },
          'authentication failed',
        );
    },
  });
  await serveDashboard(app, deps.dashboardDir ?? dashboardDist);
  return app;
}

/** `api.trustProxy` as Fastify takes it: a hop count becomes "trust the first n hops" (what Fastify does with a number). */
function trustProxy(setting: ShotcallerConfig['api']['trustProxy']) {
  return typeof setting === 'number' ? (_address: string, hop: number) => hop < setting : setting;
}
