import { readFileSync } from 'node:fs';
import { errorMessage, parseOrThrow, ShotcallerError } from '@shotcaller/contracts';
import { ProvenanceConfig } from '@shotcaller/provenance';
import { StorageConfig } from '@shotcaller/storage';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** One API token, stored as the SHA-256 of the token so the config never holds a usable secret. */
export const TokenEntry = z.strictObject({
  name: z.string().min(1),
  sha256: z.string().regex(/^[a-f0-9]{64}$/, 'must be the hex SHA-256 of the token (shotcaller token hash)'),
  role: z.enum(['td', 'accountant', 'compliance', 'vendor', 'admin']),
  /** Shows this token may see; `*` for every show. */
  shows: z.array(z.string().min(1)).min(1).default(['*']),
  /** For vendor tokens: the vendor whose tickets it may see. */
  vendorId: z.string().min(1).optional(),
});
export type TokenEntry = z.infer<typeof TokenEntry>;

const Role = z.enum(['td', 'accountant', 'compliance', 'vendor', 'admin']);

/**
 * One rule of the claim mapping: a person or machine whose token has `value` at `claim` (a string, or one
 * of a list) gets `role` on `shows`. `claim` is a dot path (`realm_access.roles`).
 */
export const ClaimRule = z.strictObject({
  claim: z.string().min(1),
  value: z.string().min(1),
  role: Role,
  shows: z.array(z.string().min(1)).min(1).default(['*']),
  /** For vendor rules: the vendor whose tickets it may see. */
  vendorId: z.string().min(1).optional(),
});
export type ClaimRule = z.infer<typeof ClaimRule>;

/** Asymmetric signature algorithms only: `none` and HMAC (where the public key could be used as the secret) never. */
export const SigningAlgorithm = z.enum([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
]);

/** Sign-in with the studio's OpenID Connect provider, for people (the dashboard) and machines (access tokens). */
export const OidcConfig = z.strictObject({
  /** The issuer URL; its discovery document is `<issuer>/.well-known/openid-configuration`. */
  issuer: z.url({ protocol: /^https?$/ }),
  clientId: z.string().min(1),
  /** The dashboard client's secret (a confidential client); absent for a public client, which PKCE protects. */
  clientSecret: z.string().min(1).optional(),
  /** Where people reach Shotcaller (`https://shotcaller.studio.example`): the redirect URI is this plus `/auth/callback`. */
  publicUrl: z.url({ protocol: /^https?$/ }),
  /** The `aud` an access token must carry to be accepted by the API (the API's identifier at the provider). */
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  /** A resource indicator (RFC 8707) sent with sign-in, for providers that issue JWT access tokens per resource. */
  resource: z.string().min(1).optional(),
  scopes: z.array(z.string().min(1)).default(['openid', 'profile', 'email']),
  /** Claims tried in order for a person's display name; a machine's is its `client_id`. */
  nameClaims: z.array(z.string().min(1)).default(['name', 'preferred_username', 'email']),
  /** Claims to roles and shows; a token none of them matches is refused with 403 naming the claims read. */
  claimRules: z.array(ClaimRule).default([]),
  algorithms: z.array(SigningAlgorithm).min(1).default(['RS256', 'PS256', 'ES256', 'EdDSA']),
  clockToleranceSeconds: z.int().nonnegative().max(300).default(30),
  /** How long the provider's keys are used before they are fetched again. */
  jwksCacheSeconds: z.int().nonnegative().default(600),
  /** The least time between two fetches of the keys on an unknown key id (a flood of forged kids costs one fetch). */
  jwksCooldownSeconds: z.int().nonnegative().default(30),
  /** A dashboard session ends after this, whatever the provider's tokens say. */
  sessionTtlSeconds: z.int().positive().default(28_800),
  /** Talk to an `http://` issuer: for a provider on this machine in development and tests, never in production. */
  allowInsecureHttp: z.boolean().default(false),
  /** What the sign-in button says. */
  displayName: z.string().min(1).default('your studio account'),
});
export type OidcConfig = z.infer<typeof OidcConfig>;

/** A receiver of signed webhooks (Standard Webhooks). */
export const WebhookTarget = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and "-"'),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  /** The signing secret, base64 with an optional `whsec_` prefix, as Standard Webhooks defines it. */
  secret: z.string().min(16),
  /** Event type prefixes (after `io.shotcaller.`) to deliver, e.g. `compliance.alert.`. */
  types: z.array(z.string().min(1)).min(1).default(['compliance.alert.', 'budget.threshold.']),
  shows: z.array(z.string()).default(['*']),
});
export type WebhookTarget = z.infer<typeof WebhookTarget>;

export const EmailTarget = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and "-"'),
  to: z.array(z.email()).min(1),
  types: z.array(z.string().min(1)).min(1).default(['compliance.alert.', 'budget.threshold.']),
  shows: z.array(z.string()).default(['*']),
});
export type EmailTarget = z.infer<typeof EmailTarget>;

/** Timeouts of the api role's HTTP server: each one bounds how long a slow or silent client holds a connection. */
const ApiTimeouts = z
  .strictObject({
    /** The request line and headers must arrive within this. */
    headersMs: z.int().positive().default(10_000),
    /** The whole request, body included, must arrive within this. */
    requestMs: z.int().positive().default(30_000),
    /** An idle keep-alive connection is closed after this; longer than a load balancer's usual 60 s idle timeout. */
    keepAliveMs: z.int().positive().default(65_000),
    /** A route that has not answered within this gets 503 (SSE streams are exempt once open). */
    handlerMs: z.int().positive().default(120_000),
    /** A connection on which no byte moves either way for this long is closed. */
    idleMs: z.int().positive().default(300_000),
  })
  .refine((t) => t.headersMs <= t.requestMs, {
    message: 'headersMs must not exceed requestMs',
    path: ['headersMs'],
  });

/** Requests allowed per window for each kind of route; `enabled: false` turns limiting off. */
const RateLimits = z.strictObject({
  enabled: z.boolean().default(true),
  windowMs: z.int().positive().default(60_000),
  /** GET routes. */
  read: z.int().positive().default(1_200),
  /** POST, PUT and DELETE routes (a batch submission counts once). */
  write: z.int().positive().default(300),
  /** Opening a live event stream (`GET /v1/events`). */
  events: z.int().positive().default(60),
  /** Budget rebuilds, what-if simulations and Kitsu imports. */
  expensive: z.int().positive().default(10),
  /** Every request without a valid token, per client address, all routes together. */
  unauthenticated: z.int().positive().default(60),
});

/** Live event streams (Server-Sent Events). */
const SseSettings = z.strictObject({
  /** A comment line is sent this often so proxies and clients see the stream alive. */
  heartbeatMs: z.int().positive().default(15_000),
  /** A client that has not taken what was sent within this is disconnected. */
  stallMs: z.int().positive().default(30_000),
  /** A client with more than this waiting unsent is disconnected at once. */
  maxBufferedBytes: z.int().positive().default(1_048_576),
  /** Streams one caller may hold open on one api replica. */
  maxPerCaller: z.int().positive().default(10),
});

/** `host:port` of a Redis node or sentinel. */
const HostPort = z
  .string()
  .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. redis-1.studio.internal:6379');

const LogLevel = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

/**
 * Shotcaller's one configuration object, read once at start-up and passed down. Every field has a
 * default that runs on a laptop with nothing configured; docs/configuration.md lists them.
 */
export const ShotcallerConfig = z.strictObject({
  /** Names this deployment; every Redis key it owns starts with `{sc:<deployment>}:`. */
  deployment: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1–40 lower-case letters, digits or "-"')
    .default('dev'),
  /** Where Shotcaller keeps its own files: a Redis and Temporal started for itself, a genai worker's scratch space, and (by default) the artifact store. */
  dataDir: z.string().min(1).default('.shotcaller'),
  /** The artifact store: frames, manifests and vendor deliveries (docs/operations.md#storage). */
  storage: StorageConfig.prefault({}),
  /** Content Credentials: the key and certificate AI outputs are signed with, and the trust anchors verify uses (docs/provenance.md). */
  provenance: ProvenanceConfig.prefault({}),
  redis: z
    .strictObject({
      /** An existing Redis; when no Redis is configured `shotcaller` starts its own redis-server. */
      url: z
        .string()
        .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
        .optional(),
      /** A Redis Cluster, by some of its nodes (`host:port`); the client finds the rest. */
      cluster: z
        .strictObject({ nodes: z.array(HostPort).min(1, 'name at least one node of the cluster') })
        .optional(),
      /** A Redis watched by Sentinel: the sentinels (`host:port`) and the name of the master they watch. */
      sentinel: z
        .strictObject({
          sentinels: z.array(HostPort).min(1, 'name at least one sentinel'),
          name: z.string().min(1),
        })
        .optional(),
      /** ACL user and password for cluster and Sentinel nodes (a URL carries its own). */
      username: z.string().min(1).optional(),
      password: z.string().min(1).optional(),
      /** TLS to cluster and Sentinel nodes (a URL says it with `rediss://`). */
      tls: z.boolean().default(false),
      /**
       * How many partitions the deployment's shows are spread over (docs/operations.md#partitions). Chosen
       * when the deployment is created and recorded in Redis; a later start with another number is refused.
       */
      partitions: z.int().min(1).max(1024).default(1),
      /**
       * Critical writes (consents and revocations, approvals, vendor awards and invoices, a shot's
       * acceptance) are acknowledged only once this many replicas have them (Redis WAIT); 0 turns it off.
       */
      replicaAcks: z
        .strictObject({
          replicas: z.int().min(0).max(16).default(0),
          timeoutMs: z.int().positive().default(2_000),
        })
        .prefault({}),
    })
    .refine((r) => [r.url, r.cluster, r.sentinel].filter(Boolean).length <= 1, {
      message: 'name one Redis: a url, a cluster or a sentinel set, not several',
    })
    .prefault({}),
  temporal: z
    .strictObject({
      /** host:port of an existing Temporal frontend; when absent `shotcaller` starts a dev server. */
      address: z.string().min(1).optional(),
      namespace: z.string().min(1).default('default'),
      /** The vendor tickets' task queue; `shotcaller-<deployment>` when absent, so deployments sharing a namespace never take each other's work. */
      taskQueue: z.string().min(1).optional(),
    })
    .prefault({}),
  log: z.strictObject({ level: LogLevel.default('info') }).prefault({}),
  routing: z
    .strictObject({
      /** The routing policy YAML; the bundled examples/policy.yaml when absent. */
      policyFile: z.string().min(1).optional(),
      /** The rate cards YAML; the bundled examples/rate-cards.yaml when absent. */
      rateCardsFile: z.string().min(1).optional(),
      /** Shots a router routes at once: the events it reads from the log in one go. */
      concurrency: z.int().positive().default(50),
    })
    .prefault({}),
  compliance: z
    .strictObject({
      /** Per rule id: disable or tighten a rule, with a reason (see docs/compliance.md); validated by the compliance package. */
      rules: z.record(z.string(), z.unknown()).default({}),
    })
    .prefault({}),
  budget: z
    .strictObject({
      /** Budget lines (YAML `lines:`) appended as events when the budget role starts; the same file twice appends nothing. */
      linesFile: z.string().min(1).optional(),
      /**
       * Exchange rates (`date,from,to,rate` CSV, or the ECB reference-rate CSV) appended as one event when
       * the budget role starts; the same file twice appends nothing, a changed file corrects the rates.
       */
      ratesFile: z.string().min(1).optional(),
    })
    .prefault({}),
  genai: z
    .strictObject({
      /** The local generator writes frames at the shot resolution times this. */
      previewScale: z.number().positive().max(1).default(0.125),
      /** Tasks one genai worker runs at once. */
      concurrency: z.int().positive().default(2),
      /** A genai worker silent this long is presumed dead; its task goes to another worker. */
      lockDurationMs: z.int().positive().default(30_000),
      /** A task running longer is cancelled and retried. */
      taskTimeoutMs: z.int().positive().default(1_800_000),
      /** What each provider does with data and where its model came from, for the compliance rules. */
      providers: z
        .array(
          z.looseObject({
            name: z.string().min(1),
            /** Which adapter: local (embedded), comfyui (baseUrl, workflowFile) or http-task (httpTask: see docs). */
            kind: z.enum(['local', 'comfyui', 'http-task']).default('local'),
            /** Tasks of this provider run at once per genai worker (default: genai.concurrency). */
            concurrency: z.int().positive().optional(),
            /** At most `max` tasks started per `durationMs`, the provider's own rate limit. */
            rateLimit: z.strictObject({ max: z.int().positive(), durationMs: z.int().positive() }).optional(),
            trainsOnInputs: z.boolean().default(false),
            trainingDataLicence: z.enum(['licensed', 'owned', 'public-domain', 'unknown']).default('unknown'),
            enterpriseSecured: z.boolean().default(false),
          }),
        )
        .default([
          {
            name: 'local',
            kind: 'local',
            trainsOnInputs: false,
            trainingDataLicence: 'owned',
            enterpriseSecured: true,
          },
        ]),
    })
    .prefault({}),
  vendor: z
    .strictObject({
      /** Where tickets are kept: local (Shotcaller's vendor API), shotgrid, or webhook. */
      tracker: z.enum(['local', 'shotgrid', 'webhook']).default('local'),
      /** Vendors invited to bid on every ticket (their tokens carry the same vendorId). */
      vendors: z.array(z.string().min(1)).min(1).default(['vendor-a', 'vendor-b']),
      /** How long bids stay open before the ticket escalates (ms; default 3 days). */
      bidWindowMs: z
        .int()
        .positive()
        .default(3 * 86_400_000),
      /** How long one day of a bid's turnaround is (ms): shrink it to rehearse a schedule. */
      dayMs: z.int().positive().default(86_400_000),
      /** `lowest-within-budget` awards the cheapest bid within the line when the bid window closes. */
      autoAward: z.enum(['none', 'lowest-within-budget']).default('none'),
      /** Flow Production Tracking site and API script (see docs/vendor-tickets.md). */
      shotgrid: z.record(z.string(), z.unknown()).optional(),
      /** Each vendor's webhook endpoint and signing secret, for the webhook tracker. */
      webhook: z.record(z.string(), z.unknown()).optional(),
      /** Vendor tickets one worker starts at once. */
      concurrency: z.int().positive().default(4),
    })
    .prefault({}),
  api: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.int().min(0).max(65_535).default(8080),
      /** Larger request bodies get 413. */
      bodyLimitBytes: z.int().positive().default(1_048_576),
      /** Most shots one batch submission may carry. */
      maxBatch: z.int().positive().default(500),
      /**
       * Which proxies to believe about the client's address and scheme (`X-Forwarded-For`,
       * `X-Forwarded-Proto`): `false`, `true` (any), a hop count, or a comma-separated list of
       * addresses and CIDR ranges. Behind a TLS proxy this is what makes HSTS and per-IP limits right.
       */
      trustProxy: z.union([z.boolean(), z.int().nonnegative(), z.string().min(1)]).default(false),
      /** HSTS max-age sent on requests that arrived over TLS (directly or through a trusted proxy); 0 sends none. */
      hstsMaxAgeSeconds: z.int().nonnegative().default(31_536_000),
      /** Origins (`https://tools.example.com`) whose pages may call the API from a browser; none by default. */
      corsOrigins: z.array(z.url({ protocol: /^https?$/ })).default([]),
      timeouts: ApiTimeouts.prefault({}),
      /** Requests per caller (token; per address when unauthenticated) per window, by kind of route. */
      rateLimits: RateLimits.prefault({}),
      sse: SseSettings.prefault({}),
    })
    .prefault({}),
  auth: z
    .strictObject({
      /** A YAML file with a `tokens:` list, read at start-up (kept out of the main config so it can be a secret). */
      tokensFile: z.string().min(1).optional(),
      tokens: z.array(TokenEntry).default([]),
      /** Sign-in with OpenID Connect; absent, only API tokens are accepted. */
      oidc: OidcConfig.optional(),
    })
    .prefault({}),
  notify: z
    .strictObject({
      webhooks: z.array(WebhookTarget).default([]),
      email: z.array(EmailTarget).default([]),
      smtp: z
        .strictObject({
          host: z.string().min(1),
          port: z.int().min(1).max(65_535).default(587),
          secure: z.boolean().default(false),
          user: z.string().optional(),
          password: z.string().optional(),
          from: z.string().min(3).default('Shotcaller <shotcaller@localhost>'),
        })
        .optional(),
      /** Delivery attempts before a notification is dead-lettered for an admin to re-drive. */
      attempts: z.int().positive().default(8),
      /** First retry delay; each next one doubles. */
      backoffMs: z.int().positive().default(2_000),
    })
    .prefault({}),
  kitsu: z
    .strictObject({
      /** Zou's API root: `https://kitsu.example.com/api` (a bare Zou server serves it at its root). */
      url: z.string().min(1).optional(),
      /** The Kitsu user Shotcaller signs in as (a bot account with manager rights on the productions). */
      email: z.string().min(1).optional(),
      password: z.string().min(1).optional(),
      /** The field mapping (docs/kitsu.md): show, budget line, territories, custom fields, categories. */
      mapping: z.record(z.string(), z.unknown()).optional(),
      /** Task status (short name) for each step Shotcaller reports. */
      statuses: z.record(z.string(), z.string()).optional(),
      /** Links in Kitsu comments point here (the public URL of the Shotcaller API), e.g. for manifests. */
      linkBaseUrl: z.string().min(1).optional(),
      /** At most this many comments a second. */
      ratePerSecond: z.number().positive().default(5),
      /** Watch mode: the kitsu-sync role imports shots whose task reaches `status` (e.g. `ready`). */
      watch: z
        .strictObject({
          project: z.string().min(1),
          sequence: z.string().min(1).optional(),
          taskType: z.string().min(1).default('Compositing'),
          status: z.string().min(1).default('ready'),
          everyMs: z.int().positive().default(60_000),
        })
        .optional(),
    })
    .prefault({}),
  events: z
    .strictObject({
      /** How long a consumer blocks on the stream before checking for stalled work. */
      blockMs: z.int().positive().default(1_000),
      /** An event left unacknowledged this long by a consumer is claimed by another. */
      claimIdleMs: z.int().positive().default(30_000),
      /** Deliveries after which an event goes to the dead-letter stream. */
      maxDeliveries: z.int().positive().default(5),
      /** Events older than this that every group has acknowledged may be trimmed; absent keeps all. */
      retentionMs: z.int().positive().optional(),
    })
    .prefault({}),
});
export type ShotcallerConfig = z.infer<typeof ShotcallerConfig>;
export type ShotcallerConfigInput = z.input<typeof ShotcallerConfig>;

/** The configuration file could not be read. */
export class ConfigFileUnreadable extends ShotcallerError {
  readonly code = 'config_file_unreadable';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`Cannot read configuration file ${path}: ${reason}`);
  }
}

type Tree = { [key: string]: unknown };

function setPath(tree: Tree, path: string[], value: unknown): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    node[key] = typeof node[key] === 'object' && node[key] !== null ? node[key] : {};
    node = node[key] as Tree;
  }
  node[path.at(-1)!] = value;
}

function deepMerge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    out[key] =
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      typeof prior === 'object' &&
      prior
        ? deepMerge(prior as Tree, value as Tree)
        : value;
  }
  return out;
}

const integer = (v: string) => (/^-?\d+$/.test(v) ? Number(v) : v);
const boolean = (v: string) => (v === 'true' ? true : v === 'false' ? false : v);
const trustProxy = (v: string) => (v === 'true' || v === 'false' ? v === 'true' : integer(v));
const list = (v: string) =>
  v
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** Environment variables and the config path each one sets. */
export const environmentVariables: ReadonlyArray<[string, string[], (v: string) => unknown]> = [
  ['SHOTCALLER_DEPLOYMENT', ['deployment'], String],
  ['SHOTCALLER_DATA_DIR', ['dataDir'], String],
  ['SHOTCALLER_STORAGE_BACKEND', ['storage', 'backend'], String],
  ['SHOTCALLER_STORAGE_ROOT', ['storage', 'root'], String],
  ['SHOTCALLER_STORAGE_UPLOAD_SIGNING_KEY', ['storage', 'uploadSigningKey'], String],
  ['SHOTCALLER_S3_ENDPOINT', ['storage', 's3', 'endpoint'], String],
  ['SHOTCALLER_S3_PUBLIC_ENDPOINT', ['storage', 's3', 'publicEndpoint'], String],
  ['SHOTCALLER_S3_REGION', ['storage', 's3', 'region'], String],
  ['SHOTCALLER_S3_BUCKET', ['storage', 's3', 'bucket'], String],
  ['SHOTCALLER_S3_PREFIX', ['storage', 's3', 'prefix'], String],
  ['SHOTCALLER_S3_FORCE_PATH_STYLE', ['storage', 's3', 'forcePathStyle'], boolean],
  ['SHOTCALLER_C2PA_KEY', ['provenance', 'key'], String],
  ['SHOTCALLER_C2PA_KEY_FILE', ['provenance', 'keyFile'], String],
  ['SHOTCALLER_C2PA_CERT', ['provenance', 'cert'], String],
  ['SHOTCALLER_C2PA_CERT_FILE', ['provenance', 'certFile'], String],
  ['SHOTCALLER_C2PA_TRUST_ANCHORS_FILE', ['provenance', 'trustAnchorsFile'], String],
  ['REDIS_URL', ['redis', 'url'], String],
  ['SHOTCALLER_REDIS_CLUSTER_NODES', ['redis', 'cluster', 'nodes'], list],
  ['SHOTCALLER_REDIS_SENTINELS', ['redis', 'sentinel', 'sentinels'], list],
  ['SHOTCALLER_REDIS_SENTINEL_NAME', ['redis', 'sentinel', 'name'], String],
  ['SHOTCALLER_REDIS_USERNAME', ['redis', 'username'], String],
  ['SHOTCALLER_REDIS_PASSWORD', ['redis', 'password'], String],
  ['SHOTCALLER_REDIS_TLS', ['redis', 'tls'], boolean],
  ['SHOTCALLER_REDIS_PARTITIONS', ['redis', 'partitions'], integer],
  ['SHOTCALLER_REDIS_REPLICA_ACKS', ['redis', 'replicaAcks', 'replicas'], integer],
  ['SHOTCALLER_REDIS_REPLICA_ACK_TIMEOUT_MS', ['redis', 'replicaAcks', 'timeoutMs'], integer],
  ['TEMPORAL_ADDRESS', ['temporal', 'address'], String],
  ['TEMPORAL_NAMESPACE', ['temporal', 'namespace'], String],
  ['SHOTCALLER_TEMPORAL_TASK_QUEUE', ['temporal', 'taskQueue'], String],
  ['LOG_LEVEL', ['log', 'level'], String],
  ['SHOTCALLER_API_HOST', ['api', 'host'], String],
  ['SHOTCALLER_API_PORT', ['api', 'port'], integer],
  ['SHOTCALLER_API_TRUST_PROXY', ['api', 'trustProxy'], trustProxy],
  ['SHOTCALLER_API_CORS_ORIGINS', ['api', 'corsOrigins'], list],
  ['SHOTCALLER_RATE_LIMITS_ENABLED', ['api', 'rateLimits', 'enabled'], boolean],
  ['SHOTCALLER_TOKENS_FILE', ['auth', 'tokensFile'], String],
  ['SHOTCALLER_OIDC_ISSUER', ['auth', 'oidc', 'issuer'], String],
  ['SHOTCALLER_OIDC_CLIENT_ID', ['auth', 'oidc', 'clientId'], String],
  ['SHOTCALLER_OIDC_CLIENT_SECRET', ['auth', 'oidc', 'clientSecret'], String],
  ['SHOTCALLER_OIDC_PUBLIC_URL', ['auth', 'oidc', 'publicUrl'], String],
  ['SHOTCALLER_OIDC_AUDIENCE', ['auth', 'oidc', 'audience'], String],
  ['SHOTCALLER_POLICY_FILE', ['routing', 'policyFile'], String],
  ['SHOTCALLER_BUDGET_LINES_FILE', ['budget', 'linesFile'], String],
  ['SHOTCALLER_BUDGET_RATES_FILE', ['budget', 'ratesFile'], String],
  ['SHOTCALLER_GENAI_LOCK_MS', ['genai', 'lockDurationMs'], integer],
  ['SHOTCALLER_VENDOR_BID_WINDOW_MS', ['vendor', 'bidWindowMs'], integer],
  ['SHOTCALLER_VENDOR_DAY_MS', ['vendor', 'dayMs'], integer],
  ['SHOTCALLER_RATE_CARDS_FILE', ['routing', 'rateCardsFile'], String],
  ['KITSU_URL', ['kitsu', 'url'], String],
  ['KITSU_EMAIL', ['kitsu', 'email'], String],
  ['KITSU_PASSWORD', ['kitsu', 'password'], String],
  ['SHOTCALLER_EVENTS_CLAIM_IDLE_MS', ['events', 'claimIdleMs'], integer],
  ['SHOTCALLER_EVENTS_MAX_DELIVERIES', ['events', 'maxDeliveries'], integer],
  ['SHOTCALLER_EVENTS_RETENTION_MS', ['events', 'retentionMs'], integer],
];

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** A YAML or JSON file; defaults to $SHOTCALLER_CONFIG when set. */
  file?: string;
  /** Applied last, e.g. from command-line flags. */
  overrides?: Tree;
}

/** Reads defaults < file < environment < overrides into one validated config; bad values name their field. */
export function loadConfig(options: LoadConfigOptions = {}): ShotcallerConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env.SHOTCALLER_CONFIG;
  let fromFile: Tree = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigFileUnreadable(file, errorMessage(error));
    }
    const parsed: unknown = parseYaml(text);
    if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new ConfigFileUnreadable(file, 'it must hold a mapping of settings');
    }
    fromFile = (parsed ?? {}) as Tree;
  }
  const fromEnv: Tree = {};
  for (const [name, path, convert] of environmentVariables) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(fromEnv, path, convert(value));
  }
  const merged = deepMerge(deepMerge(fromFile, fromEnv), options.overrides ?? {});
  return parseOrThrow(
    ShotcallerConfig,
    merged,
    file ? `configuration (${file} and environment)` : 'configuration',
  );
}
