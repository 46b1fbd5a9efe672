import { describe, expect, it } from 'vitest';
import {
  awardVerdict,
  lowestBidWithinBudget,
  lowestPricedBidWithinBudget,
  overBudget,
  pricedBids,
} from '../src/award-budget';
import type { Bid, BidPrice, BudgetCheck } from '../src/ticket';

const bid = (bidId: string, amountMinor: number, at: string, currency = 'USD'): Bid => ({
  bidId,
  vendorId: `v-${bidId}`,
  amount: { amountMinor, currency },
  turnaroundDays: 5,
  note: '',
  at,
});
const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

describe('the auto-award rule of tickets from before the patch (amounts as billed)', () => {
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

const check = (remaining: number | undefined, prices: BidPrice[]): BudgetCheck => ({
  currency: 'USD',
  date: '2026-11-02',
  ...(remaining === undefined ? {} : { remaining: usd(remaining) }),
  prices,
});
const missing = { from: 'ARS', to: 'USD', date: '2026-11-02' };

describe('the auto-award rule by price in the line’s currency', () => {
  const bids = [bid('usd', 700, 't1'), bid('ars', 650_000, 't2', 'ARS'), bid('late', 1, 't3')];

  it('knows only the bids the check priced', () => {
    const priced = pricedBids(
      bids,
      check(1000, [
        { bidId: 'ars', amount: usd(650) },
        { bidId: 'usd', amount: usd(700) },
      ]),
    );
    expect(priced.map((p) => p.bid.bidId)).toEqual(['usd', 'ars']);
  });

  it('picks the lowest price within the remainder, earliest first on a tie', () => {
    const prices = (arsInUsd: number) => [
      { bidId: 'usd', amount: usd(700) },
      { bidId: 'ars', amount: usd(arsInUsd) },
    ];
    expect(lowestPricedBidWithinBudget(pricedBids(bids, check(1000, prices(650))), usd(1000))?.bidId).toBe(
      'ars',
    );
    expect(lowestPricedBidWithinBudget(pricedBids(bids, check(1000, prices(701))), usd(1000))?.bidId).toBe(
      'usd',
    );
    expect(lowestPricedBidWithinBudget(pricedBids(bids, check(1000, prices(700))), usd(1000))?.bidId).toBe(
      'usd',
    );
    expect(lowestPricedBidWithinBudget(pricedBids(bids, check(600, prices(650))), usd(600))).toBeUndefined();
  });

  it('picks nothing while any bid has no rate, and never a bid too large to convert', () => {
    const withoutRate = check(1000, [
      { bidId: 'usd', amount: usd(700) },
      { bidId: 'ars', missing },
    ]);
    expect(lowestPricedBidWithinBudget(pricedBids(bids, withoutRate), usd(1000))).toBeUndefined();
    const tooLarge = check(undefined, [
      { bidId: 'usd', amount: usd(700) },
      { bidId: 'ars', tooLarge: true },
    ]);
    expect(lowestPricedBidWithinBudget(pricedBids(bids, tooLarge), undefined)?.bidId).toBe('usd');
  });
});

describe('an award’s verdict against its line', () => {
  const pesos = bid('ars', 650_000, 't2', 'ARS');

  it('compares the bid’s price in the line’s currency, and says what it converted', () => {
    expect(awardVerdict(pesos, { check: check(700, [{ bidId: 'ars', amount: usd(650) }]) })).toEqual({
      kind: 'checked',
      over: false,
      remaining: usd(700),
      converted: { amount: usd(650), date: '2026-11-02' },
    });
    expect(awardVerdict(pesos, { check: check(649, [{ bidId: 'ars', amount: usd(650) }]) })).toMatchObject({
      kind: 'checked',
      over: true,
    });
  });

  it('has no verdict on a bid without a rate or too large, unless there is no line', () => {
    expect(awardVerdict(pesos, { check: check(700, [{ bidId: 'ars', missing }]) })).toEqual({
      kind: 'no-rate',
      remaining: usd(700),
      missing,
    });
    expect(awardVerdict(pesos, { check: check(700, [{ bidId: 'ars', tooLarge: true }]) }).kind).toBe(
      'too-large',
    );
    expect(awardVerdict(pesos, { check: check(undefined, [{ bidId: 'ars', missing }]) })).toEqual({
      kind: 'checked',
      over: false,
      remaining: undefined,
    });
  });

  it('on a ticket from before the patch, compares as billed and takes another currency as within', () => {
    expect(awardVerdict(bid('u', 900, 't1'), { remaining: usd(800) })).toMatchObject({ over: true });
    expect(awardVerdict(bid('p', 900, 't1', 'ARS'), { remaining: usd(800) })).toMatchObject({
      over: false,
    });
  });
});
