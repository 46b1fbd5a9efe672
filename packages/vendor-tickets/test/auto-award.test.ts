import { describe, expect, it } from 'vitest';
import { lowestBidWithinBudget, overBudget } from '../src/auto-award';
import type { Bid } from '../src/ticket';

const bid = (bidId: string, amountMinor: number, at: string, currency = 'USD'): Bid => ({
  bidId,
  vendorId: `v-${bidId}`,
  amount: { amountMinor, currency },
  turnaroundDays: 5,
  note: '',
  at,
});
const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

describe('the auto-award rule', () => {
  it('picks the lowest bid within what the line has left', () => {
    const bids = [bid('a', 900, 't1'), bid('b', 700, 't2'), bid('c', 400, 't3')];
    expect(lowestBidWithinBudget(bids, usd(800))?.bidId).toBe('c');
  });

  it('skips bids over the remainder and picks none when all are over', () => {
    expect(lowestBidWithinBudget([bid('a', 900, 't1'), bid('b', 700, 't2')], usd(750))?.bidId).toBe('b');
    expect(lowestBidWithinBudget([bid('a', 900, 't1')], usd(100))).toBeUndefined();
  });

  it('breaks a tie by the earlier bid', () => {
    expect(lowestBidWithinBudget([bid('late', 500, 't9'), bid('early', 500, 't1')], usd(1000))?.bidId).toBe(
      'early',
    );
  });

  it('never compares across currencies, and without a line only price counts', () => {
    expect(lowestBidWithinBudget([bid('eur', 1, 't1', 'EUR')], usd(1000))).toBeUndefined();
    expect(lowestBidWithinBudget([bid('a', 900, 't1'), bid('b', 800, 't2')], undefined)?.bidId).toBe('b');
  });

  it('calls an award over budget only when it exceeds the remainder', () => {
    expect(overBudget(usd(1001), usd(1000))).toBe(true);
    expect(overBudget(usd(1000), usd(1000))).toBe(false);
    expect(overBudget(usd(5), undefined)).toBe(false);
    expect(overBudget(usd(5), usd(-10))).toBe(true);
  });
});
