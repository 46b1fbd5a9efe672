import { describe, expect, it } from 'vitest';
import { timeOrderedId } from '../src/time-ordered-id';

describe('timeOrderedId', () => {
  it('is 26 characters of Crockford base32, unique, and sorts in the order the ids were made', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      ids.push(timeOrderedId());
      if (i % 500 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    for (const id of ids) expect(id).toMatch(/^[0-9a-hjkmnp-tv-z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
