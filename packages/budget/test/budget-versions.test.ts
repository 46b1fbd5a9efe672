import { compareVersions, FxRates, type LineVersion } from '@shotcaller/budget';
import { describe, expect, it } from 'vitest';

const version = (name: string, amountMinor: number, currency: string, at: string): LineVersion => ({
  version: name,
  amount: { amountMinor, currency },
  at,
  by: 'ines',
  note: '',
  eventId: `e-${name}`,
});

describe('budget versions against the EFC', () => {
  const rates = new FxRates([{ date: '2026-10-01', from: 'USD', to: 'ARS', rate: '950' }]);

  it('converts each version at the rate of its own day, and says which rate is missing', () => {
    const compared = compareVersions(
      [
        version('revised after EP03', 130_000, 'USD', '2026-12-20T00:00:00Z'),
        version('bid', 95_000_000, 'ARS', '2026-10-01T09:00:00Z'),
        version('locked', 120_000_000, 'ARS', '2026-11-20T09:00:00Z'),
      ],
      'revised after EP03',
      'USD',
      110_000,
      rates,
    );
    expect(compared).toEqual([
      expect.objectContaining({ version: 'bid', current: false, budget: 100_000, variance: -10_000 }),
      expect.objectContaining({
        version: 'locked',
        budget: null,
        variance: null,
        missingRate: { from: 'ARS', to: 'USD', date: '2026-11-20' },
      }),
      expect.objectContaining({
        version: 'revised after EP03',
        current: true,
        budget: 130_000,
        variance: 20_000,
      }),
    ]);
  });
});
