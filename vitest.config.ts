import { defineConfig } from 'vitest/config';

const integration = ['**/*.int.test.ts'];
const ignored = ['**/node_modules/**', '**/.tools/**'];

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
          globalSetup: ['packages/engines/src/vitest-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
    ],
  },
});
