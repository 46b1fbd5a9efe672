import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@shotcaller/engines';
import { ShotcallerClient } from '@shotcaller/sdk';
import { eventually } from '@shotcaller/testkit';
import { inject } from 'vitest';
import { stringify } from 'yaml';
import { spawnRole, stopProcess } from './role-process';
import { tokenEntries, tokens } from './shotcaller';

/** One role in a process of its own, with its own data directory and configuration file, as on its own machine. */
export interface RoleOnItsOwn {
  process: ChildProcess;
  dataDir: string;
  configFile: string;
}

/**
 * Starts `role` as a separate process on the test run's Redis, for `deployment`, with a data directory
 * of its own and `config` (storage, genai…) in a configuration file, as a role on another machine would run.
 */
export function startRoleProcess(
  role: string,
  deployment: string,
  config: Record<string, unknown>,
  options: { stderr?: 'inherit' | 'pipe' } = {},
): RoleOnItsOwn {
  const dataDir = mkdtempSync(join(tmpdir(), `${role}-data-`));
  const configFile = join(dataDir, 'shotcaller.yaml');
  writeFileSync(
    configFile,
    stringify({
      deployment,
      dataDir,
      redis: { url: inject('redisUrl') },
      log: { level: 'warn' },
      auth: { tokens: tokenEntries() },
      ...config,
    }),
  );
  return { process: spawnRole(role, { SHOTCALLER_CONFIG: configFile }, options.stderr), dataDir, configFile };
}

/** The api role in a process of its own on a free port, once it answers; with a client for each test token. */
export async function startApiProcess(deployment: string, config: Record<string, unknown>) {
  const port = await freePort();
  const role = startRoleProcess('api', deployment, { ...config, api: { port } });
  const baseUrl = `http://127.0.0.1:${port}`;
  await eventually(
    () =>
      fetch(`${baseUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      ),
    (ok) => ok,
    'the api process answering',
    60_000,
  );
  return {
    ...role,
    baseUrl,
    client: (token: string = tokens.td) => new ShotcallerClient({ baseUrl, token }),
    stop: () => stopProcess(role.process, 'SIGTERM'),
  };
}
