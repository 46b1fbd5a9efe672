import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { zouBinaries } from './binaries';
import { EngineFailedToStart, EngineMissing } from './errors';
import { freePort } from './free-port';
import { startRedisServer } from './redis-server';
import { SupervisedProcess } from './supervised-process';
import { waitUntil } from './wait-until';

const run = promisify(execFile);

export interface ZouServerOptions {
  /** The PostgreSQL server Zou's database goes on (trust auth); the machine's by default. */
  pg?: { host: string; port: number; user: string };
  admin?: { email: string; password: string };
  startTimeoutMs?: number;
}

export interface ZouServerHandle {
  /** Zou's API root, e.g. http://127.0.0.1:41234 (Kitsu serves the same API under /api). */
  url: string;
  admin: { email: string; password: string };
  database: string;
  /** Stops the API only (the database and Redis stay), so a test can bring it back with `restart`. */
  pause(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real Zou server for the Kitsu tests: its own PostgreSQL database (created here, dropped on stop),
 * its own redis-server, `zou init-db`, `init-data` and `create-admin`, and the API under gunicorn on a
 * free loopback port.
 */
export async function startZouServer(options: ZouServerOptions = {}): Promise<ZouServerHandle> {
  const { zou, gunicorn } = zouBinaries();
  const pg = options.pg ?? {
    host: process.env.ZOU_PG_HOST ?? '127.0.0.1',
    port: Number(process.env.ZOU_PG_PORT ?? 5432),
    user: process.env.ZOU_PG_USER ?? 'postgres',
  };
  const admin = options.admin ?? {
    email: 'admin@example.com',
    password: `zou-${randomBytes(6).toString('hex')}`,
  };
  const database = `shotcaller_zou_${randomBytes(5).toString('hex')}`;
  const psql = (sql: string) =>
    run('psql', [
      '-h',
      pg.host,
      '-p',
      String(pg.port),
      '-U',
      pg.user,
      '-d',
      'postgres',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      sql,
    ]).catch((error: Error & { code?: string; stderr?: string }) => {
      if (error.code === 'ENOENT')
        throw new EngineMissing('psql', 'run `bash infra/bootstrap.sh` (apt-get install postgresql-client)');
      throw new EngineFailedToStart(
        'zou',
        `PostgreSQL at ${pg.host}:${pg.port} refused: ${error.stderr ?? error.message}`,
        '',
      );
    });
  await psql(`CREATE DATABASE ${database}`);
  const dir = await mkdtemp(join(tmpdir(), 'shotcaller-zou-'));
  const redis = await startRedisServer();
  const env = {
    ...process.env,
    DB_HOST: pg.host,
    DB_PORT: String(pg.port),
    DB_USERNAME: pg.user,
    DB_PASSWORD: '',
    DB_DATABASE: database,
    DB_POOL_SIZE: '5',
    DB_MAX_OVERFLOW: '5',
    KV_HOST: '127.0.0.1',
    KV_PORT: String(redis.port),
    SECRET_KEY: randomBytes(24).toString('hex'),
    PREVIEW_FOLDER: join(dir, 'previews'),
    TMP_DIR: join(dir, 'tmp'),
    // No Meilisearch here: point the indexer at a closed port so Zou skips indexing quickly.
    INDEXER_HOST: '127.0.0.1',
    INDEXER_PORT: '9',
    INDEXER_TIMEOUT: '200',
  };
  const cleanup = async () => {
    await redis.stop();
    await psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const args of [
      ['init-db'],
      ['init-data'],
      ['create-admin', admin.email, '--password', admin.password],
    ])
      await run(zou, args, { env, cwd: dir }).catch((error: Error & { stderr?: string }) => {
        throw new EngineFailedToStart('zou', `zou ${args[0]} failed`, error.stderr ?? error.message);
      });
  } catch (error) {
    await cleanup();
    throw error;
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let proc: SupervisedProcess | undefined;
  const start = async () => {
    proc = new SupervisedProcess(
      'zou',
      gunicorn,
      ['-b', `127.0.0.1:${port}`, '-w', '2', '--timeout', '60', 'zou.app:app'],
      {
        cwd: dir,
        env,
      },
    );
    const ready = await waitUntil(async () => (await fetch(`${url}/`).catch(() => undefined))?.ok === true, {
      timeoutMs: options.startTimeoutMs ?? 60_000,
      intervalMs: 250,
      aborted: () => (proc!.running ? undefined : 'gunicorn exited'),
    });
    if (!ready.ok) {
      const lines = proc.logTail();
      await proc.stop();
      throw new EngineFailedToStart('zou', ready.reason, lines);
    }
  };
  try {
    await start();
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {
    url,
    admin,
    database,
    pause: async () => {
      await proc?.stop();
    },
    restart: start,
    async stop() {
      await proc?.stop();
      await cleanup();
    },
  };
}
