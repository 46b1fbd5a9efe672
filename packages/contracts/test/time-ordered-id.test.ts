import { describe, expect, it } from 'vitest';
import { base32Of, timeOrderedId } from '../src/time-ordered-id';

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

  it('writes 128 bits as the base32 number they are, most significant digit first', () => {
    const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
    // The same number, digit by digit, with BigInt: slow, but plainly right.
    const reference = (bytes: Uint8Array) => {
      let value = 0n;
      for (const b of bytes) value = (value << 8n) | BigInt(b);
      let out = '';
      for (let i = 0; i < 26; i++) {
        out = alphabet[Number(value & 31n)] + out;
        value >>= 5n;
      }
      return out;
    };
    expect(base32Of(new Uint8Array(16))).toBe('0'.repeat(26));
    expect(base32Of(new Uint8Array(16).fill(255))).toBe(`7${'z'.repeat(25)}`);
    for (let i = 0; i < 2_000; i++) {
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      expect(base32Of(bytes)).toBe(reference(bytes));
    }
  });
});
