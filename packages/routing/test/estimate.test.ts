import { CurrencyMismatch } from '@shotcaller/contracts';
import { estimateRoutes, parseRateCards, UnknownProvider } from '@shotcaller/routing';
import { aShotRequest } from '@shotcaller/testkit';
import { describe, expect, it } from 'vitest';
import { exampleRates } from './fixtures';

const cards = (overrides = '') =>
  parseRateCards(
    `currency: USD
genai:
  defaultProvider: gpu
  providers:
    gpu:
      pricing: { kind: gpu-seconds, gpuSecondsPerFrame: { default: "12", crowd: "20" }, ratePerGpuSecond: "0.0011" }
      turnaround: { setupHours: 1, secondsPerFrame: 36 }
    footage:
      pricing: { kind: per-second-of-footage, pricePerSecond: "0.50" }
      turnaround: { setupHours: 0, secondsPerFrame: 0 }
    frames:
      pricing: { kind: per-frame, pricePerFrame: "0.015" }
      turnaround: { setupHours: 0, secondsPerFrame: 0 }
vendor:
  ratePerFrame: { default: "100", destruction: "240.50" }
  complexity: { simple: "0.7", standard: "1", complex: "1.5", hero: "2.2" }
  overheadPerShot: "650"
  turnaroundDays: { default: 10, destruction: 18 }
${overrides}`,
    'test cards',
  );

describe('estimates', () => {
  it('prices genai as frames × GPU-seconds per frame × rate, exactly', () => {
    const { genai } = estimateRoutes(
      aShotRequest({ frames: { start: 1001, end: 1048 }, category: 'environment' }),
      cards(),
    );
    // 48 × 12 × 0.0011 = 0.6336 → 63 cents
    expect(genai.cost).toEqual({ amountMinor: 63, currency: 'USD' });
    expect(genai.basis).toBe('48 frames × 12 GPU-s/frame (environment) × USD 0.0011/GPU-s = USD 0.6336');
    expect(genai.turnaroundHours).toBe(1.48);
    expect(genai.provider).toBe('gpu');
  });

  it('rounds half up once, at the end', () => {
    // 10 frames × 0.015 = 0.15 exactly; 3 frames × 0.015 = 0.045 → 5 cents (half up), not 4
    expect(
      estimateRoutes(aShotRequest({ frames: { start: 1, end: 3 } }), cards(), { provider: 'frames' }).genai
        .cost.amountMinor,
    ).toBe(5);
    expect(
      estimateRoutes(aShotRequest({ frames: { start: 1, end: 10 } }), cards(), { provider: 'frames' }).genai
        .cost.amountMinor,
    ).toBe(15);
  });

  it('prices footage by seconds at the shot frame rate, without float drift at 23.976 fps', () => {
    const shot = aShotRequest({ frames: { start: 1, end: 24_000 }, fps: 23.976 });
    // 24000 / 23.976 × 0.50 = 500.5005… → USD 500.50
    expect(estimateRoutes(shot, cards(), { provider: 'footage' }).genai.cost.amountMinor).toBe(50_050);
  });

  it('prices a vendor by category rate × complexity + overhead', () => {
    const { vendor } = estimateRoutes(
      aShotRequest({ frames: { start: 1001, end: 1048 }, category: 'destruction', complexity: 'complex' }),
      cards(),
    );
    // 48 × 240.50 × 1.5 + 650 = 17966
    expect(vendor.cost).toEqual({ amountMinor: 1_796_600, currency: 'USD' });
    expect(vendor.turnaroundHours).toBe(18 * 24);
    expect(vendor.basis).toContain('× 1.5 (complex)');
  });

  it('uses whole yen for JPY, which has no minor unit', () => {
    const yen = parseRateCards(
      `currency: JPY
genai:
  defaultProvider: gpu
  providers:
    gpu:
      pricing: { kind: per-frame, pricePerFrame: "2.5" }
      turnaround: { setupHours: 0, secondsPerFrame: 1 }
vendor:
  ratePerFrame: { default: "15000" }
  complexity: { simple: "1", standard: "1", complex: "1", hero: "1" }
  turnaroundDays: { default: 5 }
`,
      'yen',
    );
    const estimate = estimateRoutes(aShotRequest({ frames: { start: 1, end: 3 } }), yen);
    expect(estimate.genai.cost).toEqual({ amountMinor: 8, currency: 'JPY' });
    expect(estimate.vendor.cost).toEqual({ amountMinor: 45_000, currency: 'JPY' });
  });

  it('refuses to compare with a budget in another currency', () => {
    expect(() => estimateRoutes(aShotRequest(), cards(), { budgetCurrency: 'EUR' })).toThrow(
      CurrencyMismatch,
    );
  });

  it('names an unknown provider', () => {
    expect(() => estimateRoutes(aShotRequest(), cards(), { provider: 'nope' })).toThrow(UnknownProvider);
  });

  it('reads the example rate cards', () => {
    expect(exampleRates().genai.defaultProvider).toBe('local');
  });
});

describe('pricing measured usage', () => {
  it('prices GPU- or CPU-seconds with the rate plus the artist time', async () => {
    const { priceUsage } = await import('@shotcaller/routing');
    // 12.3456 s → 12.346 × 0.0011 = 0.0135806 + 480 → USD 480.01
    expect(priceUsage(exampleRates(), 'local', { unit: 'cpu-second', quantity: 12.3456 }, 48)).toEqual({
      amountMinor: 48_001,
      currency: 'USD',
    });
  });

  it('prices an attempt that delivered nothing at its usage alone, without the artist time', async () => {
    const { priceUsage } = await import('@shotcaller/routing');
    // 4000 GPU seconds × 0.0009 = USD 3.60, no overhead.
    expect(
      priceUsage(exampleRates(), 'comfyui', { unit: 'gpu-second', quantity: 4000 }, 48, { delivered: false }),
    ).toEqual({ amountMinor: 360, currency: 'USD' });
  });

  it('records the labour inside each estimate, in artist-days at the rate cards’ day rate', () => {
    const withArtists = cards().genai.providers.gpu!;
    const rates = cards('labour: { artistDayRate: "720" }');
    rates.genai.providers.gpu = { ...withArtists, overheadPerShot: '480.00' };
    const { genai, vendor } = estimateRoutes(
      aShotRequest({ frames: { start: 1001, end: 1048 }, category: 'destruction', complexity: 'complex' }),
      rates,
    );
    // Vendor frame work without the overhead: 48 × 240.50 × 1.5 = 17,316 → 17,316 / 720 = 24.05 days.
    expect(vendor.labour).toEqual({
      artistCost: { amountMinor: 1_731_600, currency: 'USD' },
      artistDays: 24.05,
      basis:
        'vendor frame work 48 frames × USD 240.50/frame × 1.5, without the per-shot overhead ÷ USD 720/artist-day = 24.05 artist-days',
    });
    // 480 / 720 = 0.666… → 0.67 artist-days, half up.
    expect(genai.labour).toMatchObject({ artistCost: { amountMinor: 48_000 }, artistDays: 0.67 });
  });

  it('gives labour in money only when the rate cards name no day rate', () => {
    const { vendor } = estimateRoutes(aShotRequest({ frames: { start: 1, end: 10 } }), cards());
    expect(vendor.labour?.artistCost.amountMinor).toBe(240_500);
    expect(vendor.labour?.artistDays).toBeUndefined();
    expect(vendor.labour?.basis).toContain('no artist day rate');
  });

  it('refuses a day rate of zero, naming the field', () => {
    expect(() => cards('labour: { artistDayRate: "0" }')).toThrow(/labour\.artistDayRate.*more than zero/);
  });
});
