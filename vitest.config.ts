import { defineConfig } from 'vitest/config';

const integration = ['**/*.int.test.ts'];
const ignored = ['**/node_modules/**', '**/.tools/**'];
const engines = ['packages/engines/src/vitest-global-setup.ts'];
// Records the ticket workflow's replay fixtures; only `pnpm record-ticket-histories` runs it, never `pnpm test`.
const recordHistories = process.env.SHOTCALLER_RECORD_TICKET_HISTORIES === '1';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts'],
          exclude: [...ignored, ...integration],
        },
      },
      {
        test: {
          name: 'integration',
          include: integration,
          exclude: ignored,
          globalSetup: engines,
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      ...(recordHistories
        ? [
            {
              test: {
                name: 'record-ticket-histories',
                include: ['test/vendor/record-ticket-histories.ts'],
                globalSetup: engines,
                hookTimeout: 120_000,
                pool: 'forks' as const,
              },
            },
          ]
        : []),
    ],
  },
});
