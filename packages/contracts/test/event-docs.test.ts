import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderEventDocs } from '../src/render-event-docs';

describe('docs/events.md', () => {
  it('is what the catalogue generates (run `pnpm --filter @shotcaller/contracts docs:events` after changing an event)', () => {
    const committed = readFileSync(new URL('../../../docs/events.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderEventDocs());
  });
});
