import { describe, expect, it } from 'vitest';
import { startApi } from './harness';

describe('the api starting', () => {
  it('prints no deprecation or other process warning (Fastify’s own included)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error & { code?: string }) =>
      warnings.push(`${w.name} ${w.code ?? ''}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const api = await startApi();
      await fetch(`${api.url}/healthz`);
      await api.close();
      // Node emits warnings on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });
});
