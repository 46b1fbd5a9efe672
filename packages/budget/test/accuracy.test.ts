import { estimateAccuracy, isoWeek, LedgerRow, suggestRateCards } from '@shotcaller/budget';
import { describe, expect, it } from 'vitest';

let n = 0;
/** A settled shot: only what accuracy reads, the rest filled in. */
function aRow(fields: Partial<LedgerRow> & { estimate: number; actual: number }): LedgerRow {
  n++;
  return LedgerRow.parse({
    shotId: `s${n}`,
    show: 'ARG',
    sequence: 'COL',
    shot: `S${n}`,
    lineId: 'L',
    route: 'vendor',
    currency: 'USD',
    frames: 48,
    committed: 0,
    etc: 0,
    efc: fields.actual,
    closed: true,
    approvedAt: '2026-11-10T12:00:00Z',
    category: 'destruction',
    complexity: 'standard',
    ...fields,
  });
}

describe('estimate accuracy', () => {
  const rows = [
    aRow({ estimate: 10_000, actual: 12_000, vendorId: 'vendor-ba' }), // +20%
    aRow({ estimate: 10_000, actual: 9_000, vendorId: 'vendor-ba' }), // −10%
    aRow({ estimate: 20_000, actual: 26_000, vendorId: 'vendor-x', approvedAt: '2026-11-17T09:00:00Z' }), // +30%
    aRow({ route: 'genai', providers: ['comfyui'], category: 'environment', estimate: 5_000, actual: 4_000 }), // −20%
    // Not settled: open, cancelled, or with a cost that has no rate.
    aRow({ estimate: 10_000, actual: 50_000, closed: false, approvedAt: undefined }),
    aRow({ estimate: 10_000, actual: 0, approvedAt: undefined }),
    aRow({ estimate: 10_000, actual: 1, missingRates: [{ from: 'ARS', to: 'USD', date: '2026-11-01' }] }),
  ];

  it('measures each settled shot’s error and sums it up by route, vendor and provider', () => {
    const report = estimateAccuracy(rows);
    expect(report).toMatchObject({ settledShots: 4, leftOut: 1 });
    expect(report.by.route).toEqual([
      expect.objectContaining({ key: 'genai', shots: 1, meanErrorPercent: -20 }),
      expect.objectContaining({
        key: 'vendor',
        shots: 3,
        meanErrorPercent: 13.33,
        medianErrorPercent: 20,
        p10ErrorPercent: -10,
        p90ErrorPercent: 30,
        stdDevPercent: 17,
        estimate: 40_000,
        actual: 47_000,
      }),
    ]);
    expect(report.by.vendor.map((g) => [g.key, g.shots, g.medianErrorPercent])).toEqual([
      ['vendor-ba', 2, 5],
      ['vendor-x', 1, 30],
    ]);
    expect(report.by.provider.map((g) => g.key)).toEqual(['comfyui']);
    expect(report.by.category.map((g) => [g.key, g.shots])).toEqual([
      ['destruction', 3],
      ['environment', 1],
    ]);
  });

  it('follows the error over time, by ISO week or month of approval', () => {
    expect(estimateAccuracy(rows).overTime.map((g) => [g.period, g.shots])).toEqual([
      ['2026-W46', 3],
      ['2026-W47', 1],
    ]);
    expect(estimateAccuracy(rows, 'month').overTime.map((g) => [g.period, g.shots])).toEqual([
      ['2026-11', 4],
    ]);
    expect(isoWeek('2027-01-01T00:00:00Z')).toBe('2026-W53');
  });
});

describe('a suggested rate-card correction', () => {
  const cards = {
    currency: 'USD',
    genai: {
      providers: {
        comfyui: {
          pricing: { kind: 'gpu-seconds', gpuSecondsPerFrame: { default: '70' } },
          overheadPerShot: '480.00',
        },
      },
    },
    vendor: { ratePerFrame: { default: '95.00', destruction: '240.00' }, overheadPerShot: '650.00' },
  };
  // Vendor destruction estimates are 650.00 overhead + 1000.00 of frames; the frames cost 1.25×, 1.5×, 1.1×.
  const vendor = [125_000, 150_000, 110_000].map((frames) =>
    aRow({ estimate: 165_000, actual: 65_000 + frames }),
  );

  it('scales the per-frame rate of a category by the median of actual over estimate, overheads apart', () => {
    const { suggestions, cards: corrected } = suggestRateCards(cards, vendor);
    expect(suggestions).toEqual([
      {
        route: 'vendor',
        category: 'destruction',
        path: 'vendor.ratePerFrame.destruction',
        shots: 3,
        factor: 1.25,
        before: '240.00',
        after: '300',
      },
    ]);
    expect(corrected.vendor.ratePerFrame).toEqual({ default: '95.00', destruction: '300' });
    expect(cards.vendor.ratePerFrame.destruction).toBe('240.00');
  });

  it('suggests nothing from fewer shots than asked, or from rows in another currency', () => {
    expect(suggestRateCards(cards, vendor.slice(0, 2)).suggestions).toEqual([]);
    expect(
      suggestRateCards(
        cards,
        vendor.map((r) => ({ ...r, currency: 'EUR' })),
      ).suggestions,
    ).toEqual([]);
  });

  it('corrects a GPU-priced provider’s seconds per frame for the category, from its default', () => {
    const genai = [0, 1, 2].map(() =>
      aRow({
        route: 'genai',
        providers: ['comfyui'],
        category: 'environment',
        estimate: 48_000 + 10_000,
        actual: 48_000 + 8_000,
      }),
    );
    expect(suggestRateCards(cards, genai).suggestions).toEqual([
      expect.objectContaining({
        path: 'genai.providers.comfyui.pricing.gpuSecondsPerFrame.environment',
        before: '70',
        after: '56',
        factor: 0.8,
      }),
    ]);
  });
});
