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

const roomyLimits = { read: 1_000_000, write: 1_000_000, events: 100_000, expensive: 100_000 };
const withoutApi = ({ api: _api, ...rest }: ShotcallerConfigInput) => rest;
/** The test tokens as configuration entries: one per role, and two vendors. */
export function tokenEntries() {
  return [
    { name: 'ana (td)', sha256: hashToken(tokens.td), role: 'td' as const, shows: ['*'] },
    {
      name: 'ines (accountant)',
      sha256: hashToken(tokens.accountant),
      role: 'accountant' as const,
      shows: ['*'],
    },
    {
      name: 'cleo (compliance)',
      sha256: hashToken(tokens.compliance),
      role: 'compliance' as const,
      shows: ['*'],
    },
    { name: 'root', sha256: hashToken(tokens.admin), role: 'admin' as const, shows: ['*'] },
    {
      name: 'vendor a',
      sha256: hashToken(tokens.vendorA),
      role: 'vendor' as const,
      shows: ['*'],
      vendorId: 'vendor-a',
    },
    {
      name: 'vendor b',
      sha256: hashToken(tokens.vendorB),
      role: 'vendor' as const,
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
      // Tests poll far faster than people: limits a test does not set are out of its way.
      api: {
        port: 0,
        ...overrides.api,
        rateLimits: { ...roomyLimits, ...overrides.api?.rateLimits },
      },
      auth: { tokens: tokenEntries() },
      ...withoutApi(overrides),
    } as Record<string, unknown>,
  });
  const running: RunningShotcaller = await startShotcaller(config, roles);
  const client = (token: string = tokens.td) => new ShotcallerClient({ baseUrl: running.apiUrl!, token });
  return { running, config, deployment, client };
}
