import { burnSeries } from '@shotcaller/budget';
import { describe, expect, it } from 'vitest';

const cost = (day: number, amountMinor: number) => ({
  at: `2026-10-${String(day).padStart(2, '0')}T12:00:00.000Z`,
  amount: { amountMinor, currency: 'USD' },
});

describe('the burn series', () => {
  it('adds each cost to the spend so far', () => {
    expect(burnSeries([cost(1, 500), cost(2, 250), cost(3, 1000)])).toEqual([
      { at: cost(1, 0).at, actual: 500, currency: 'USD' },
      { at: cost(2, 0).at, actual: 750, currency: 'USD' },
      { at: cost(3, 0).at, actual: 1750, currency: 'USD' },
    ]);
  });

  it('thins a long series to the last point of each step, and always ends on the whole spend', () => {
    const spend = Array.from({ length: 7 }, (_, i) => cost(i + 1, 100));
    const burn = burnSeries(spend, 3);
    expect(burn.map((p) => p.actual)).toEqual([300, 600, 700]);
  });

  it('has no point before the first cost', () => {
    expect(burnSeries([])).toEqual([]);
  });
});
