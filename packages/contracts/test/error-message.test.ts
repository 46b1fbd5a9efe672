import { errorMessage } from '@shotcaller/contracts';
import { describe, expect, it } from 'vitest';

describe('errorMessage', () => {
  it("gives an Error's own message", () => {
    expect(errorMessage(new RangeError('offset 9 is past the end'))).toBe('offset 9 is past the end');
  });

  it('gives anything else thrown as text, so a rejected string or undefined still says something', () => {
    expect(errorMessage('ECONNRESET')).toBe('ECONNRESET');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});
