import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  applyRuleConfig,
  ConsentRegistry,
  catalogue,
  ProviderProfile,
  ruleCatalogueVersion,
} from '@shotcaller/compliance';
import { errorMessage, frameCount, makeEvent, parseOrThrow } from '@shotcaller/contracts';
import { EventLog, eventSource } from '@shotcaller/events';
import type { SigningIdentity } from '@shotcaller/provenance';
import { priceUsage } from '@shotcaller/routing';
import {
  createQueue,
  genaiQueueName,
  type QueueName,
  ShotPartitions,
  ShotStore,
  WorkQueues,
} from '@shotcaller/shots';
import type { ArtifactStore } from '@shotcaller/storage';
import type { RoleContext, RoleName, RoleStarter, RunningRole } from './role';
import { loadRoutingFiles } from './routing-files';

// Each role imports the packages only it uses when it starts (`await import`), the shared ones above:
// a process running one role then loads, and holds in memory, that role's code and libraries only
// (the api's HTTP server, the S3 client, Temporal's worker and its native bridge, …), not every role's.

/**
 * The context of one partition: `config.deployment` becomes the partition's keyspace, so the role's
 * packages make that partition's keys, and each partition's vendor tickets get a task queue of their
 * own. With one partition the context is the deployment's, unchanged.
 */
function partitionContext(ctx: RoleContext, k: number): RoleContext {
  if (ctx.partitions.count === 1) return { ...ctx, partition: 0 };
  const base = ctx.config.temporal.taskQueue ?? `shotcaller-${ctx.config.deployment}`;
  return {
    ...ctx,
    partition: k,
    config: {
      ...ctx.config,
      deployment: ctx.partitions.keyspace(k),
      temporal: { ...ctx.config.temporal, taskQueue: `${base}-p${k}` },
    },
    logger: (role) => ctx.logger(role).child({ partition: k }),
  };
}

/** Starts a partition-scoped role once for each partition this process serves. */
function perPartition(name: RoleName, starter: RoleStarter): RoleStarter {
  return async (ctx) => {
    const running: RunningRole[] = [];
    try {
      for (const k of ctx.partitions.served) running.push(await starter(partitionContext(ctx, k)));
    } catch (error) {
      await Promise.all(running.map((r) => r.stop()));
      throw error;
    }
    return { name, stop: async () => void (await Promise.all(running.map((r) => r.stop()))) };
  };
}

/** The Kitsu client and field mapping, when `kitsu.url`, credentials and a mapping are configured. */
async function kitsuSettings(config: RoleContext['config']) {
  const k = config.kitsu;
  if (!k.url || !k.email || !k.password || !k.mapping) return undefined;
  const { KitsuClient, KitsuMapping } = await import('@shotcaller/kitsu');
  return {
    client: new KitsuClient({ url: k.url, email: k.email, password: k.password }),
    mapping: parseOrThrow(KitsuMapping, k.mapping, 'kitsu.mapping'),
  };
}

const kitsuSync: RoleStarter = async (ctx) => {
  const { config, redis } = ctx;
  const settings = await kitsuSettings(config);
  if (!settings) {
    ctx
      .logger('kitsu-sync')
      .info('Kitsu is not configured (kitsu.url, email, password, mapping): nothing to sync');
    return { name: 'kitsu-sync', stop: async () => {} };
  }
  const { KitsuStatuses, KitsuSync, watchKitsu } = await import('@shotcaller/kitsu');
  const base = config.kitsu.linkBaseUrl?.replace(/\/+$/, '');
  // Status goes back to Kitsu from each partition's events; the watch below imports for every show.
  const syncs = ctx.partitions.served.map((k) => {
    const keyspace = ctx.partitions.keyspace(k);
    return new KitsuSync({
      redis,
      deployment: keyspace,
      store: new ShotStore(redis, keyspace),
      client: settings.client,
      statuses: parseOrThrow(KitsuStatuses, config.kitsu.statuses ?? {}, 'kitsu.statuses'),
      consumerName: ctx.instance,
      ...(base
        ? {
            manifestLink: (shotId: string) => `${base}/v1/shots/${shotId}/manifest`,
            credentialsLink: (shotId: string) => `${base}/v1/shots/${shotId}/outputs/0/credentials`,
          }
        : {}),
      ratePerSecond: config.kitsu.ratePerSecond,
      claimIdleMs: config.events.claimIdleMs,
      // Kitsu may be down for a while: keep retrying longer than other consumers before dead-lettering.
      maxDeliveries: Math.max(config.events.maxDeliveries, 20),
      blockMs: config.events.blockMs,
      onError: (error, info) =>
        ctx.logger('kitsu-sync').warn({ err: errorMessage(error), ...info }, 'Kitsu comment not posted yet'),
    });
  });
  for (const sync of syncs) await sync.start();
  const watch = config.kitsu.watch;
  let stopWatch: (() => Promise<void>) | undefined;
  if (watch) {
    const commands = new ShotPartitions(redis, ctx.partitions);
    const actor = { name: 'kitsu watch', source: eventSource(config.deployment, 'kitsu-sync') };
    const log = ctx.logger('kitsu-sync');
    const stopPolling = watchKitsu(
      settings.client,
      settings.mapping,
      {
        project: watch.project,
        taskType: watch.taskType,
        status: watch.status,
        everyMs: watch.everyMs,
        ...(watch.sequence ? { sequence: watch.sequence } : {}),
        onPass: (outcomes, error) => {
          if (error)
            log.warn({ err: errorMessage(error) }, 'Kitsu watch pass failed; trying again next time');
          for (const o of outcomes ?? [])
            if (o.outcome === 'created' || o.outcome === 'updated')
              log.info({ shot: o.shot, outcome: o.outcome }, 'imported from Kitsu');
            else if (o.outcome === 'invalid')
              log.warn({ shot: o.shot, issues: o.issues }, 'Kitsu shot not imported');
            else if (o.outcome === 'code-taken')
              log.warn(
                { shot: o.shot, kitsuShotId: o.kitsuShotId, liveShotId: o.shotId, issues: o.issues },
                'Kitsu shot not imported: another live shot has its code',
              );
        },
      },
      {
        submit: async (request) => {
          const { shot, created } = await commands.submit(request, actor);
          return { shotId: shot.id, created };
        },
        revise: (shotId, request) => commands.revise(shotId, request, actor),
      },
    );
    stopWatch = stopPolling;
  }
  return {
    name: 'kitsu-sync',
    async stop() {
      await stopWatch?.();
      await Promise.all(syncs.map((sync) => sync.stop()));
    },
  };
};

const artifactStores = new WeakMap<object, Promise<ArtifactStore>>();

/**
 * The configured artifact store, checked: a role that cannot use it refuses to start, saying why.
 * Opened and checked once per process, however many roles and partitions use it.
 */
function artifactStore(ctx: RoleContext, role: RoleName): Promise<ArtifactStore> {
  // Keyed by the storage settings, which every partition's copy of the configuration shares.
  let opening = artifactStores.get(ctx.config.storage);
  if (!opening) {
    opening = (async () => {
      const { createArtifactStore } = await import('@shotcaller/storage');
      const store = createArtifactStore(ctx.config.storage, resolve(ctx.config.dataDir));
      await store.check({ write: true });
      ctx.logger(role).info({ store: store.description }, 'artifact store ready');
      return store;
    })();
    artifactStores.set(ctx.config.storage, opening);
    // A store that failed its check is checked afresh by the next role that starts.
    opening.catch(() => artifactStores.delete(ctx.config.storage));
  }
  return opening;
}

const identities = new WeakMap<object, Promise<SigningIdentity>>();

/**
 * Who signs Content Credentials: the configured key and certificate, or the development certificate
 * under the data directory. Loaded once per process, which says at start-up which it is, and warns
 * loudly when it is the development one (signatures valid, trusted by no C2PA validator).
 */
export async function signingIdentity(ctx: RoleContext, role: RoleName): Promise<SigningIdentity> {
  const { config } = ctx;
  // Keyed by the provenance settings, which every partition's copy of the configuration shares.
  let loading = identities.get(config.provenance);
  if (loading) return loading; // said once per process, by the first role that signs
  const { loadSigningIdentity } = await import('@shotcaller/provenance');
  loading = loadSigningIdentity(config.provenance, resolve(config.dataDir, 'content-credentials'));
  identities.set(config.provenance, loading);
  const identity = await loading;
  const facts = {
    signer: identity.subject,
    algorithm: identity.algorithm,
    validUntil: identity.notAfter.toISOString(),
  };
  if (identity.development)
    ctx
      .logger(role)
      .warn(
        facts,
        'Content Credentials are signed with a DEVELOPMENT certificate: C2PA validators will report them untrusted; configure provenance.keyFile and provenance.certFile (docs/provenance.md)',
      );
  else if (identity.profileProblems.length > 0)
    ctx
      .logger(role)
      .warn(
        { ...facts, problems: identity.profileProblems },
        'the signing certificate breaks the C2PA certificate profile: validators will reject its signatures',
      );
  else ctx.logger(role).info(facts, 'Content Credentials signer ready');
  return identity;
}

/**
 * Removes what interrupted writes left in the store (temp files, incomplete multipart uploads) once
 * they are older than `storage.leftoverMaxAgeMs`. The api role does it, like the event log trim.
 */
function startStorageCleanup(ctx: RoleContext, store: Awaited<ReturnType<typeof artifactStore>>) {
  const { cleanupEveryMs, leftoverMaxAgeMs } = ctx.config.storage;
  if (cleanupEveryMs === 0) return undefined;
  const timer = setInterval(
    () =>
      void store
        .cleanup({ olderThanMs: leftoverMaxAgeMs })
        .then(
          (removed) => removed.length > 0 && ctx.logger('api').info({ removed }, 'storage leftovers removed'),
        )
        .catch((error: unknown) =>
          ctx.logger('api').warn({ err: errorMessage(error) }, 'storage cleanup failed'),
        ),
    cleanupEveryMs,
  );
  timer.unref();
  return timer;
}

/** What each configured genai provider does with data, for the compliance rules. */
function providerProfiles(config: RoleContext['config']) {
  return Object.fromEntries(
    config.genai.providers.map((p) => [
      p.name,
      ProviderProfile.parse({
        name: p.name,
        trainsOnInputs: p.trainsOnInputs,
        trainingDataLicence: p.trainingDataLicence,
        enterpriseSecured: p.enterpriseSecured,
      }),
    ]),
  );
}

/**
 * With `events.retentionMs` set, trims events every consumer group has acknowledged once they are
 * older than that. The api role does it because every deployment runs one; replicas trimming at once
 * is harmless (the trim is one script, bounded by the slowest group).
 */
function startRetention(ctx: RoleContext): NodeJS.Timeout | undefined {
  const retentionMs = ctx.config.events.retentionMs;
  if (!retentionMs) return undefined;
  const { partitions } = ctx;
  const logs = partitions.all.map((k) => new EventLog(ctx.redis, { deployment: partitions.keyspace(k) }));
  const trim = async () => {
    for (const log of logs) {
      const n = await log.trim({ retentionMs });
      if (n > 0) ctx.logger('api').debug({ trimmed: n, stream: log.keys.stream }, 'event log trimmed');
    }
  };
  const timer = setInterval(
    () =>
      void trim().catch((error: unknown) =>
        ctx.logger('api').warn({ err: errorMessage(error) }, 'event log trim failed'),
      ),
    Math.min(Math.max(Math.floor(retentionMs / 2), 1_000), 60_000),
  );
  timer.unref();
  return timer;
}

/**
 * Indexes the codes of shots made before the code index existed, show by show, so the first
 * submission of a show need not, and names the codes an older version let several live shots share
 * (the board shows them all; the first submitted keeps the code). Once done it reads one field a show.
 */
async function indexShotCodes(ctx: RoleContext, shots: ShotPartitions): Promise<void> {
  const log = ctx.logger('api');
  for (const k of ctx.partitions.all) {
    const store = shots.store(k);
    for (const show of await store.shows()) {
      const done = await store.indexCodes(show);
      if (!done) continue;
      log.info({ show, codes: done.indexed }, 'shot codes indexed: one live shot per code from now on');
      for (const { code, shotIds } of done.shared)
        log.warn(
          { show, code, shotIds },
          `shot code ${code} has ${shotIds.length} live shots from before codes were checked; ${shotIds[0]} keeps it: cancel the others (shotcaller cancel <id> --reason …)`,
        );
    }
  }
}

const api: RoleStarter = async (ctx) => {
  const { config, redis, partitions } = ctx;
  const { Authenticator, buildApi, readTokensFile } = await import('@shotcaller/api');
  const shots = new ShotPartitions(redis, partitions);
  let upgraded = 0;
  for (const k of partitions.all) upgraded += await shots.store(k).upgradeIndexes();
  if (upgraded > 0) ctx.logger('api').info({ shots: upgraded }, 'shot indexes upgraded to per-show only');
  await indexShotCodes(ctx, shots);
  // Each partition's queues, for the metrics; named `<queue>:p<k>` when there are several partitions.
  const queues = Object.fromEntries(
    partitions.all.flatMap((k) =>
      ['vendor', ...config.genai.providers.map((p) => genaiQueueName(p.name))].map((name) => [
        partitions.count === 1 ? name : `${name}:p${k}`,
        createQueue(name as QueueName, redis, partitions.keyspace(k)),
      ]),
    ),
  );
  const tokens = [
    ...config.auth.tokens,
    ...(config.auth.tokensFile ? readTokensFile(config.auth.tokensFile) : []),
  ];
  if (tokens.length === 0 && !config.auth.oidc)
    ctx
      .logger('api')
      .warn(
        'no API tokens are configured: every request will be refused (see docs/configuration.md#tokens, or sign in with OpenID Connect: auth.oidc)',
      );
  const artifacts = await artifactStore(ctx, 'api');
  const temporal = ctx.temporalAddress ? await ticketClient(ctx) : undefined;
  const kitsu = await kitsuSettings(config);
  if (!temporal)
    ctx
      .logger('api')
      .warn('no Temporal address: the vendor ticket routes will answer 503 (set TEMPORAL_ADDRESS)');
  const app = await buildApi({
    config,
    redis,
    artifacts,
    ...(temporal ? { tickets: temporal.tickets } : {}),
    ...(kitsu ? { kitsu } : {}),
    simulation: {
      rates: loadRoutingFiles(config).rates,
      providers: providerProfiles(config),
      rules: applyRuleConfig(catalogue, config.compliance.rules).rules,
    },
    shots,
    queues,
    credentials: {
      identity: await signingIdentity(ctx, 'api'),
      trustAnchors: (await import('@shotcaller/provenance')).loadTrustAnchors(
        config.provenance.trustAnchorsFile,
      ),
    },
    authenticator: new Authenticator(tokens),
    logger: ctx.logger('api'),
  });
  const url = await app.listen({ host: config.api.host, port: config.api.port });
  const retention = startRetention(ctx);
  const cleanup = startStorageCleanup(ctx, artifacts);
  ctx.logger('api').info({ url }, 'api listening');
  return {
    name: 'api',
    url,
    async stop() {
      clearInterval(retention);
      clearInterval(cleanup);
      await app.close();
      await Promise.all(Object.values(queues).map((q) => q.close()));
      await temporal?.connection.close();
    },
  };
};

async function ticketClient(ctx: RoleContext) {
  const { Client, Connection } = await import('@temporalio/client');
  const { TicketClient } = await import('@shotcaller/vendor-tickets');
  const connection = await Connection.connect({ address: ctx.temporalAddress! });
  const client = new Client({ connection, namespace: ctx.config.temporal.namespace });
  const tickets = new TicketClient(client, {
    deployment: ctx.config.deployment,
    taskQueue: ctx.config.temporal.taskQueue ?? `shotcaller-${ctx.config.deployment}`,
  });
  return { connection, tickets };
}

const vendorWorker: RoleStarter = async (ctx) => {
  const { config, redis } = ctx;
  const { connection, tickets } = await ticketClient(ctx);
  const { VendorWorker } = await import('@shotcaller/vendor-worker');
  const v = config.vendor;
  const instance = new VendorWorker({
    connection: redis,
    deployment: config.deployment,
    store: new ShotStore(redis, config.deployment),
    tickets,
    terms: {
      tracker: v.tracker,
      vendors: v.vendors,
      bidWindowMs: v.bidWindowMs,
      dayMs: v.dayMs,
      autoAward: v.autoAward,
    },
    logger: ctx.logger('vendor-worker'),
    concurrency: v.concurrency,
  });
  instance.start();
  return {
    name: 'vendor-worker',
    async stop() {
      await instance.close();
      await connection.close();
    },
  };
};

const temporalWorker: RoleStarter = async (ctx) => {
  const { config, redis } = ctx;
  const { TemporalWorker } = await import('@shotcaller/temporal-worker');
  const { createTrackers } = await import('@shotcaller/vendor-tickets');
  const worker = await TemporalWorker.start({
    address: ctx.temporalAddress!,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue ?? `shotcaller-${config.deployment}`,
    redis,
    deployment: config.deployment,
    trackers: createTrackers(redis, config.deployment, {
      shotgrid: config.vendor.shotgrid,
      webhook: config.vendor.webhook,
    }),
    identity: ctx.instance,
    logger: ctx.logger('temporal-worker'),
  });
  return { name: 'temporal-worker', stop: () => worker.close() };
};

const router: RoleStarter = async (ctx) => {
  const { config, redis } = ctx;
  const { PolicyDecider, Router } = await import('@shotcaller/router');
  const { policy, rates } = loadRoutingFiles(config);
  const { rules, changes } = applyRuleConfig(catalogue, config.compliance.rules);
  if (changes.length > 0) {
    // The audit trail records what this production changed; the same configuration twice appends once.
    const id = `compliance-rules-${createHash('sha256').update(JSON.stringify(changes)).digest('hex').slice(0, 16)}`;
    // Deployment-wide: it goes to the deployment's own keyspace, whichever partition this router serves.
    await new EventLog(redis, { deployment: ctx.partitions.globalKeyspace }).append(
      makeEvent(
        'io.shotcaller.compliance.rules.configured.v1',
        { changes, by: 'configuration' },
        { source: eventSource(config.deployment, 'router'), correlationId: id, id },
      ),
    );
  }
  const workQueues = new WorkQueues(redis, config.deployment);
  const instance = new Router({
    redis,
    deployment: config.deployment,
    store: new ShotStore(redis, config.deployment),
    decider: new PolicyDecider({
      policy,
      rates,
      registry: new ConsentRegistry(redis, config.deployment),
      providers: providerProfiles(config),
      rules,
    }),
    queueFor: (route, provider) => workQueues.queueFor(route, provider),
    logger: ctx.logger('router'),
    consumerName: ctx.instance,
    concurrency: config.routing.concurrency,
    claimIdleMs: config.events.claimIdleMs,
    maxDeliveries: config.events.maxDeliveries,
    blockMs: config.events.blockMs,
  });
  await instance.start();
  ctx
    .logger('router')
    .info({ policy: policy.id, version: policy.policyVersion.slice(0, 12) }, 'router started');
  return {
    name: 'router',
    async stop() {
      await instance.close();
      await workQueues.close();
    },
  };
};

const genaiWorker: RoleStarter = async (ctx) => {
  const { config, redis } = ctx;
  const { createAdapter } = await import('@shotcaller/genai');
  const { GenaiWorker } = await import('@shotcaller/genai-worker');
  const { rates } = loadRoutingFiles(config);
  const store = new ShotStore(redis, config.deployment);
  const artifacts = await artifactStore(ctx, 'genai-worker');
  await clearOldScratchOnce(resolve(config.dataDir, 'scratch'), config.storage.leftoverMaxAgeMs);
  const credentials = {
    identity: await signingIdentity(ctx, 'genai-worker'),
    ruleCatalogueVersion: ruleCatalogueVersion(applyRuleConfig(catalogue, config.compliance.rules).rules),
  };
  // One worker per provider: each provider's concurrency and rate limit bind only its own queue.
  const workers = config.genai.providers.map(
    (p) =>
      new GenaiWorker({
        connection: redis,
        redis,
        deployment: config.deployment,
        store,
        provider: p.name,
        adapter: createAdapter(p, { previewScale: config.genai.previewScale }),
        limiter: p.rateLimit ? { max: p.rateLimit.max, duration: p.rateLimit.durationMs } : undefined,
        price: (provider, usage, shot, options) =>
          priceUsage(rates, provider, usage, frameCount(shot.request.frames), options),
        dataDir: config.dataDir,
        artifacts,
        credentials,
        storageRetryDelayMs: config.storage.retryDelayMs,
        logger: ctx.logger('genai-worker').child({ provider: p.name }),
        concurrency: p.concurrency ?? config.genai.concurrency,
        taskTimeoutMs: config.genai.taskTimeoutMs,
        lockDurationMs: config.genai.lockDurationMs,
      }),
  );
  for (const w of workers) w.start();
  return {
    name: 'genai-worker',
    async stop() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
};

const scratchCleared = new Map<string, Promise<void>>();

/** Clears a scratch directory once per process, whichever partition's genai worker starts first. */
function clearOldScratchOnce(dir: string, olderThanMs: number): Promise<void> {
  let clearing = scratchCleared.get(dir);
  if (!clearing) {
    clearing = clearOldScratch(dir, olderThanMs);
    scratchCleared.set(dir, clearing);
  }
  return clearing;
}

/** Scratch folders a killed genai worker left on this machine; a live task's are younger than this. */
async function clearOldScratch(dir: string, olderThanMs: number): Promise<void> {
  const cutoff = Date.now() - olderThanMs;
  for (const entry of await readdir(dir).catch(() => [])) {
    const path = resolve(dir, entry);
    const s = await stat(path).catch(() => undefined);
    if (s && s.mtimeMs < cutoff) await rm(path, { recursive: true, force: true });
  }
}

const budget: RoleStarter = async (ctx) => {
  const { config, redis } = ctx;
  const { parseBudgetLines, parseFxRatesFile, seedBudgetLines, seedFxRates, startBudgetTracker } =
    await import('@shotcaller/budget');
  if (config.budget.ratesFile) {
    // Before the lines: a rebuild meets the rates before the costs they convert.
    await seedFxRates(
      new EventLog(redis, { deployment: config.deployment }),
      parseFxRatesFile(readFileSync(config.budget.ratesFile, 'utf8'), config.budget.ratesFile),
      `file ${config.budget.ratesFile}`,
      eventSource(config.deployment, 'budget'),
    );
  }
  if (config.budget.linesFile) {
    const lines = parseBudgetLines(
      readFileSync(config.budget.linesFile, 'utf8'),
      config.budget.linesFile,
    ).filter((line) => ctx.partitions.ofShow(line.show) === ctx.partition);
    await seedBudgetLines(
      new EventLog(redis, { deployment: config.deployment }),
      lines,
      `file ${config.budget.linesFile}`,
      eventSource(config.deployment, 'budget'),
    );
  }
  const tracker = startBudgetTracker({
    redis,
    deployment: config.deployment,
    consumerName: ctx.instance,
    claimIdleMs: config.events.claimIdleMs,
    maxDeliveries: config.events.maxDeliveries,
    blockMs: config.events.blockMs,
    onError: (error, info) =>
      ctx.logger('budget').warn({ err: errorMessage(error), ...info }, 'budget event not applied'),
    onLostEvent: (lost) =>
      ctx
        .logger('budget')
        .warn(lost, 'not counted: the event is not in the log on this Redis (lost in a failover)'),
  });
  await tracker.start();
  return { name: 'budget', stop: () => tracker.stop() };
};

const compliance: RoleStarter = async (ctx) => {
  const { config, redis } = ctx;
  const { ComplianceChecker } = await import('@shotcaller/compliance-checker');
  const checker = new ComplianceChecker({
    redis,
    deployment: config.deployment,
    store: new ShotStore(redis, config.deployment),
    registry: new ConsentRegistry(redis, config.deployment),
    logger: ctx.logger('compliance'),
    consumerName: ctx.instance,
    claimIdleMs: config.events.claimIdleMs,
    maxDeliveries: config.events.maxDeliveries,
    blockMs: config.events.blockMs,
  });
  await checker.start();
  return {
    name: 'compliance',
    stop: () => checker.stop(),
  };
};

const notifier: RoleStarter = async (ctx) => {
  const { Notifier } = await import('@shotcaller/notifier');
  const instance = new Notifier({
    redis: ctx.redis,
    connection: ctx.redis,
    config: ctx.config,
    logger: ctx.logger('notifier'),
    consumerName: ctx.instance,
  });
  await instance.start();
  return { name: 'notifier', stop: () => instance.close() };
};

/** The roles this version of Shotcaller can run, in start order. */
export const roles: Partial<Record<RoleName, RoleStarter>> = {
  // The api answers for every show, so it serves every partition whatever the process's subset.
  api,
  router: perPartition('router', router),
  'genai-worker': perPartition('genai-worker', genaiWorker),
  'vendor-worker': perPartition('vendor-worker', vendorWorker),
  'temporal-worker': perPartition('temporal-worker', temporalWorker),
  budget: perPartition('budget', budget),
  compliance: perPartition('compliance', compliance),
  notifier: perPartition('notifier', notifier),
  'kitsu-sync': kitsuSync,
};

/**
 * Shots an older version kept apart from their event index move into it before any role starts, so
 * every role reads them where this version does (see ShotStore.upgradeShotKeys); the api's partitions
 * are all of them.
 */
async function upgradeShotLayout(names: readonly RoleName[], ctx: RoleContext): Promise<void> {
  const shots = new ShotPartitions(ctx.redis, ctx.partitions);
  let moved = 0;
  for (const k of names.includes('api') ? ctx.partitions.all : ctx.partitions.served)
    moved += await shots.store(k).upgradeShotKeys();
  const role = names[0];
  if (moved > 0 && role)
    ctx
      .logger(role)
      .info({ shots: moved }, 'shots moved into their event index, where this version keeps them');
}

export async function startRoles(names: readonly RoleName[], ctx: RoleContext): Promise<RunningRole[]> {
  const running: RunningRole[] = [];
  await upgradeShotLayout(names, ctx);
  try {
    for (const name of names) {
      const start = roles[name];
      if (!start) throw new Error(`Role ${name} is not part of this version of Shotcaller yet`);
      running.push(await start(ctx));
    }
  } catch (error) {
    for (const r of running.reverse()) await r.stop();
    throw error;
  }
  return running;
}
