import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporalBinary } from './binaries';
import { EngineFailedToStart } from './errors';
import { freePorts } from './free-port';
import { SupervisedProcess } from './supervised-process';
import { waitUntil } from './wait-until';

/** Search attributes Shotcaller's workflows carry; a production cluster registers them with `temporal operator search-attribute create`. */
export const shotcallerSearchAttributes = {
  ShotcallerShow: 'Keyword',
  ShotcallerShot: 'Keyword',
  ShotcallerShotId: 'Keyword',
} as const;

export interface TemporalDevServerOptions {
  namespace?: string;
  /** SQLite file for its state; a temp file when not given (removed on stop), so workflows survive a restart only when given. */
  dbFile?: string;
  startTimeoutMs?: number;
}

export interface TemporalDevServerHandle {
  address: string;
  namespace: string;
  process: SupervisedProcess;
  stop(): Promise<void>;
}

async function namespaceReady(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1_000 });
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } finally {
    await connection.close();
  }
}

/** Starts `temporal server start-dev` headless on free loopback ports and waits until its namespace answers. */
export async function startTemporalDevServer(
  options: TemporalDevServerOptions = {},
): Promise<TemporalDevServerHandle> {
  const binary = temporalBinary();
  const namespace = options.namespace ?? 'default';
  const [port, uiPort, httpPort, metricsPort] = (await freePorts(4)) as [number, number, number, number];
  const ownDir =
    options.dbFile === undefined ? await mkdtemp(join(tmpdir(), 'shotcaller-temporal-')) : undefined;
  const dbFile = options.dbFile ?? join(ownDir!, 'temporal.db');
  const args = [
    'server',
    'start-dev',
    '--headless',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--http-port',
    String(httpPort),
    '--metrics-port',
    String(metricsPort),
    '--db-filename',
    dbFile,
    '--log-level',
    'warn',
    '--namespace',
    namespace,
  ];
  for (const [key, type] of Object.entries(shotcallerSearchAttributes))
    args.push('--search-attribute', `${key}=${type}`);
  const proc = new SupervisedProcess('temporal', binary, args);
  const address = `127.0.0.1:${port}`;
  const ready = await waitUntil(() => namespaceReady(address, namespace), {
    timeoutMs: options.startTimeoutMs ?? 60_000,
    intervalMs: 250,
    aborted: () => (proc.running ? undefined : 'the process exited'),
  });
  if (!ready.ok) {
    await proc.stop();
    if (ownDir) await rm(ownDir, { recursive: true, force: true });
    throw new EngineFailedToStart('temporal dev server', ready.reason, proc.logTail());
  }
  return {
    address,
    namespace,
    process: proc,
    async stop() {
      await proc.stop();
      if (ownDir) await rm(ownDir, { recursive: true, force: true });
    },
  };
}
