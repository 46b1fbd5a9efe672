import { compareStreamIds, nextStreamId, safeTrimBound } from '@shotcaller/events';
import { describe, expect, it } from 'vitest';

describe('how far the log may be trimmed', () => {
  it('trims nothing while no group exists', () => {
    expect(safeTrimBound([])).toBeUndefined();
  });

  it('stops at the oldest event any group still has pending', () => {
    const bound = safeTrimBound([
      { name: 'budget', lastDeliveredId: '100-0' },
      { name: 'compliance', lastDeliveredId: '100-0', oldestPendingId: '40-3' },
    ]);
    expect(bound).toBe('40-3');
  });

  it('stops after the last event the slowest group has had delivered', () => {
    expect(
      safeTrimBound([
        { name: 'a', lastDeliveredId: '100-0' },
        { name: 'b', lastDeliveredId: '70-2' },
      ]),
    ).toBe('70-3');
  });

  it('keeps everything younger than the retention cut-off', () => {
    expect(safeTrimBound([{ name: 'a', lastDeliveredId: '100-0' }], '50-0')).toBe('50-0');
    expect(safeTrimBound([{ name: 'a', lastDeliveredId: '30-0' }], '50-0')).toBe('30-1');
  });

  it('trims nothing for a group that has read nothing', () => {
    expect(safeTrimBound([{ name: 'a', lastDeliveredId: '0-0' }])).toBeUndefined();
  });

  it('compares stream ids as numbers, not strings', () => {
    expect(compareStreamIds('9-0', '10-0')).toBe(-1);
    expect(compareStreamIds('10-10', '10-9')).toBe(1);
    expect(nextStreamId('1700000000000-18446744073709551614')).toBe('1700000000000-18446744073709551615');
  });
});
