import { randomBytes } from 'node:crypto';
import { hashToken } from '@shotcaller/api';
import { type RunningShotcaller, startShotcaller } from '@shotcaller/cli';
import { loadConfig, type ShotcallerConfigInput } from '@shotcaller/platform';
import { ShotcallerClient } from '@shotcaller/sdk';
import { inject } from 'vitest';

export const tokens = {
  td: 'tok-td',
  accountant: 'tok-acc',
  compliance: 'tok-comp',
  admin: 'tok-admin',
  vendorA: 'tok-vendor-a',
  vendorB: 'tok-vendor-b',
} as const;

/** The test tokens as configuration entries: one per role, and two vendors. */
export function tokenEntries() {
  return [
    { name: 'ana (td)', sha256: hashToken(tokens.td), role: 'td', shows: ['*'] },
    { name: 'ines (accountant)', sha256: hashToken(tokens.accountant), role: 'accountant', shows: ['*'] },
    { name: 'cleo (compliance)', sha256: hashToken(tokens.compliance), role: 'compliance', shows: ['*'] },
    { name: 'root', sha256: hashToken(tokens.admin), role: 'admin', shows: ['*'] },
    {
      name: 'vendor a',
      sha256: hashToken(tokens.vendorA),
      role: 'vendor',
      shows: ['*'],
      vendorId: 'vendor-a',
    },
    {
      name: 'vendor b',
      sha256: hashToken(tokens.vendorB),
      role: 'vendor',
      shows: ['*'],
      vendorId: 'vendor-b',
    },
  ];
}

/** Shotcaller's roles in this process, on the test run's Redis, with a fresh deployment and a TD client. */
export async function runShotcaller(
  roles: Parameters<typeof startShotcaller>[1],
  overrides: ShotcallerConfigInput = {},
) {
  const deployment = `t-${randomBytes(5).toString('hex')}`;
  const config = loadConfig({
    env: {},
    overrides: {
      deployment,
      redis: { url: inject('redisUrl') },
      log: { level: 'warn' },
      api: { port: 0 },
      auth: { tokens: tokenEntries() },
      ...overrides,
    } as Record<string, unknown>,
  });
  const running: RunningShotcaller = await startShotcaller(config, roles);
  const client = (token: string = tokens.td) => new ShotcallerClient({ baseUrl: running.apiUrl!, token });
  return { running, config, deployment, client };
}
