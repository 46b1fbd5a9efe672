import { Authenticator, buildApi, hashToken, type RouteSpec } from '@shotcaller/api';
import { Partitions } from '@shotcaller/events';
import { createLogger, loadConfig } from '@shotcaller/platform';
import { type ShotCommands, ShotPartitions, type ShotStore } from '@shotcaller/shots';
import { testRedis } from '@shotcaller/testkit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';

/** Tokens of every role; `td` and `accountant` see show NTH only, `admin` sees all. */
export const tokens = {
  td: 'tok-td',
  tdOther: 'tok-td-other',
  accountant: 'tok-accountant',
  compliance: 'tok-compliance',
  vendor: 'tok-vendor',
  admin: 'tok-admin',
} as const;

const entries = [
  { name: 'ana (td)', sha256: hashToken(tokens.td), role: 'td' as const, shows: ['NTH'] },
  { name: 'omar (td, other show)', sha256: hashToken(tokens.tdOther), role: 'td' as const, shows: ['OTHER'] },
  {
    name: 'ines (accountant)',
    sha256: hashToken(tokens.accountant),
    role: 'accountant' as const,
    shows: ['NTH'],
  },
  {
    name: 'cleo (compliance)',
    sha256: hashToken(tokens.compliance),
    role: 'compliance' as const,
    shows: ['*'],
  },
  {
    name: 'pixelworks',
    sha256: hashToken(tokens.vendor),
    role: 'vendor' as const,
    shows: ['*'],
    vendorId: 'pixelworks',
  },
  { name: 'root (admin)', sha256: hashToken(tokens.admin), role: 'admin' as const, shows: ['*'] },
];

export interface Harness {
  app: FastifyInstance;
  url: string;
  store: ShotStore;
  commands: ShotCommands;
  deployment: string;
  redis: Redis;
  close(): Promise<void>;
}

export interface ApiOptions {
  maxBatch?: number;
  bodyLimitBytes?: number;
  extraRoutes?: RouteSpec[];
  /** More `api` settings (rate limits, timeouts, proxies, CORS). */
  api?: Record<string, unknown>;
  /** Another replica of an api already started: the same deployment on the same Redis. */
  replicaOf?: Harness;
  /** Where the log goes (silent when absent). */
  logTo?: NodeJS.WritableStream;
  /** The dashboard files to serve (the built dashboard when absent). */
  dashboardDir?: string;
  /** More `auth` settings (OpenID Connect). */
  auth?: Record<string, unknown>;
  /** The port to listen on (a free one when absent). */
  port?: number;
}

/** The api role on the test run's Redis, listening on a free port. */
export async function startApi(options: ApiOptions = {}): Promise<Harness> {
  const { redis, deployment } = options.replicaOf
    ? { redis: testRedis().redis, deployment: options.replicaOf.deployment }
    : testRedis();
  const config = loadConfig({
    env: {},
    overrides: {
      deployment,
      api: {
        port: 0,
        ...(options.maxBatch ? { maxBatch: options.maxBatch } : {}),
        ...(options.bodyLimitBytes ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
        ...options.api,
      },
      ...(options.auth ? { auth: options.auth } : {}),
    },
  });
  const shots = new ShotPartitions(redis, new Partitions(deployment, 1));
  const store = shots.store(0);
  const commands = shots.commands(0);
  const app = await buildApi({
    config,
    redis,
    shots,
    queues: {},
    authenticator: new Authenticator(entries),
    logger: createLogger({
      role: 'api',
      level: options.logTo ? 'info' : 'silent',
      ...(options.logTo ? { destination: options.logTo } : {}),
    }),
    ...(options.extraRoutes ? { extraRoutes: options.extraRoutes } : {}),
    ...(options.dashboardDir ? { dashboardDir: options.dashboardDir } : {}),
  });
  const url = await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  return {
    app,
    url,
    store,
    commands,
    deployment,
    redis,
    async close() {
      await app.close();
      redis.disconnect();
    },
  };
}
