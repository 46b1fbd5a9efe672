import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderComplianceDocs } from '../src/render-docs';

describe('docs/compliance.md', () => {
  it('is what the catalogue generates (run `pnpm --filter @shotcaller/compliance docs:compliance` after changing a rule)', () => {
    expect(readFileSync(new URL('../../../docs/compliance.md', import.meta.url), 'utf8')).toBe(
      renderComplianceDocs(),
    );
  });
});
