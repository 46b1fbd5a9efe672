import {
  AmountTooLarge,
  compareRoutes,
  costReportCsv,
  FxRates,
  factOf,
  foldRow,
  parseBudgetLines,
  parseFxRatesFile,
  rollup,
  roundHalfEven,
} from '@shotcaller/budget';
import { CurrencyMismatch, type FxRate, ValidationFailed } from '@shotcaller/contracts';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { plannedShot } from './events';

const rate = (date: string, from: string, to: string, r: string): FxRate => ({ date, from, to, rate: r });
const money = (amountMinor: number, currency: string) => ({ amountMinor, currency });

describe('converting money', () => {
  it('rounds once, half to even, to the target’s minor unit', () => {
    const rates = new FxRates([rate('2026-11-02', 'EUR', 'USD', '1.5')]);
    // 1 cent × 1.5 = 1.5 cents → 2 (even); 3 cents × 1.5 = 4.5 cents → 4 (even); 5 × 1.5 = 7.5 → 8.
    expect(rates.convert(money(1, 'EUR'), 'USD', '2026-11-02T10:00:00Z')).toEqual({ amountMinor: 2 });
    expect(rates.convert(money(3, 'EUR'), 'USD', '2026-11-02T10:00:00Z')).toEqual({ amountMinor: 4 });
    expect(rates.convert(money(5, 'EUR'), 'USD', '2026-11-02T10:00:00Z')).toEqual({ amountMinor: 8 });
    expect(roundHalfEven(-5n, 2n)).toBe(-2n);
    expect(roundHalfEven(-7n, 2n)).toBe(-4n);
  });

  it('is exact where naive floating point is not', () => {
    const rates = new FxRates([rate('2026-11-02', 'EUR', 'USD', '1.1')]);
    const amountMinor = 8_000_000_000_000_001; // EUR 80,000,000,000,000.01
    // × 1.1 = 8,800,000,000,000,001.1 cents exactly → 8,800,000,000,000,001; a double says …002.
    expect(Math.round(amountMinor * 1.1)).toBe(8_800_000_000_000_002);
    expect(rates.convert(money(amountMinor, 'EUR'), 'USD', '2026-11-02T00:00:00Z')).toEqual({
      amountMinor: 8_800_000_000_000_001,
    });
  });

  it('refuses a result too large to keep exactly', () => {
    const rates = new FxRates([rate('2026-11-02', 'USD', 'ARS', '1187.25')]);
    expect(() => rates.convert(money(900_719_925_474_099, 'USD'), 'ARS', '2026-11-02T00:00:00Z')).toThrow(
      AmountTooLarge,
    );
  });

  it('respects each currency’s minor unit (JPY has none, BHD three)', () => {
    const rates = new FxRates([
      rate('2026-11-02', 'USD', 'JPY', '151.237'),
      rate('2026-11-02', 'USD', 'BHD', '0.376'),
    ]);
    // USD 12.34 × 151.237 = JPY 1866.26458 → 1866
    expect(rates.convert(money(1234, 'USD'), 'JPY', '2026-11-02T09:00:00Z')).toEqual({ amountMinor: 1866 });
    // USD 12.34 × 0.376 = BHD 4.63984 → 4.640 (4640 fils)
    expect(rates.convert(money(1234, 'USD'), 'BHD', '2026-11-02T09:00:00Z')).toEqual({ amountMinor: 4640 });
  });

  it('uses the inverse of the opposite quote, and crosses through a currency quoted against both', () => {
    const rates = new FxRates([
      rate('2026-11-02', 'USD', 'ARS', '1000'),
      rate('2026-11-02', 'EUR', 'USD', '1.25'),
      rate('2026-11-02', 'EUR', 'GBP', '0.8'),
    ]);
    // ARS 2,000.00 → USD 2.00
    expect(rates.convert(money(200_000, 'ARS'), 'USD', '2026-11-02T00:00:00Z')).toEqual({ amountMinor: 200 });
    // USD 10.00 → GBP: 10 / 1.25 × 0.8 = 6.40
    expect(rates.convert(money(1000, 'USD'), 'GBP', '2026-11-02T00:00:00Z')).toEqual({ amountMinor: 640 });
  });

  it('converts at the rate of the cost’s own day, or the last published within a week before it', () => {
    const rates = new FxRates([
      rate('2026-11-02', 'USD', 'ARS', '1000'),
      rate('2026-11-06', 'USD', 'ARS', '1100'),
    ]);
    const at = (day: string) => rates.convert(money(100, 'USD'), 'ARS', `${day}T12:00:00Z`);
    expect(at('2026-11-02')).toEqual({ amountMinor: 100_000 });
    expect(at('2026-11-05')).toEqual({ amountMinor: 100_000 });
    expect(at('2026-11-08')).toEqual({ amountMinor: 110_000 });
    expect(at('2026-11-13')).toEqual({ amountMinor: 110_000 });
    expect(at('2026-11-14')).toEqual({ missing: { from: 'USD', to: 'ARS', date: '2026-11-14' } });
    expect(at('2026-11-01')).toEqual({ missing: { from: 'USD', to: 'ARS', date: '2026-11-01' } });
  });
});

/** A vendor shot on a USD line: estimate in USD, award and invoice in ARS on their own days. */
function arsVendorShot() {
  const submitted = factOf(plannedShot(1).events[0]!)!.fact;
  return [
    submitted,
    { kind: 'routed', at: '2026-11-02T10:00:00Z', route: 'vendor', estimate: money(500_000, 'USD') },
    { kind: 'awarded', at: '2026-11-03T10:00:00Z', amount: money(600_000_000, 'ARS') },
    { kind: 'invoiced', at: '2026-11-20T10:00:00Z', invoiceId: 'i1', amount: money(660_000_000, 'ARS') },
  ] as const;
}

describe('a row in two currencies', () => {
  const usdLine = { currencyOf: () => 'USD' };

  it('converts each cost at the rate of its own date: the award’s for the commitment, the invoice’s for the actual', () => {
    const rates = new FxRates([
      rate('2026-11-03', 'USD', 'ARS', '1000'),
      rate('2026-11-20', 'USD', 'ARS', '1200'),
    ]);
    const row = foldRow('s', [...arsVendorShot()], 'USD', { ...usdLine, rates })!;
    expect(row).toMatchObject({
      currency: 'USD',
      estimate: 500_000,
      committed: 600_000, // ARS 6,000,000.00 / 1000
      actual: 550_000, // ARS 6,600,000.00 / 1200
      originalCurrencies: ['ARS', 'USD'],
      originalCommitted: [money(600_000_000, 'ARS')],
      originalActual: [money(660_000_000, 'ARS')],
      unconvertedCommitted: [],
      unconvertedActual: [],
      missingRates: [],
    });
  });

  it('never counts a cost whose rate is missing as zero: it is flagged and shown unconverted', () => {
    const rates = new FxRates([rate('2026-11-03', 'USD', 'ARS', '1000')]);
    const row = foldRow('s', [...arsVendorShot()], 'USD', { ...usdLine, rates })!;
    expect(row.unconvertedActual).toEqual([money(660_000_000, 'ARS')]);
    expect(row.unconvertedCommitted).toEqual([]);
    expect(row.missingRates).toEqual([{ from: 'ARS', to: 'USD', date: '2026-11-20' }]);
    // The invoice is left out of actual rather than counted as nothing spent on an open award.
    expect(row).toMatchObject({ committed: 600_000, actual: 0 });
  });

  it('gives the corrected figures once a rate is corrected', () => {
    const wrong = new FxRates([
      rate('2026-11-03', 'USD', 'ARS', '100'),
      rate('2026-11-20', 'USD', 'ARS', '1200'),
    ]);
    const right = new FxRates([
      rate('2026-11-03', 'USD', 'ARS', '1000'),
      rate('2026-11-20', 'USD', 'ARS', '1200'),
    ]);
    expect(foldRow('s', [...arsVendorShot()], 'USD', { ...usdLine, rates: wrong })!.committed).toBe(
      6_000_000,
    );
    expect(foldRow('s', [...arsVendorShot()], 'USD', { ...usdLine, rates: right })!.committed).toBe(600_000);
  });

  it('still refuses to add currencies with no rate table at all', () => {
    expect(() => foldRow('s', [...arsVendorShot()], 'USD')).toThrow(CurrencyMismatch);
  });
});

describe('reports in two currencies', () => {
  const usdLine = { currencyOf: () => 'USD' };
  const rates = new FxRates([rate('2026-11-03', 'USD', 'ARS', '1000')]);
  const row = foldRow('s', [...arsVendorShot()], 'USD', { ...usdLine, rates })!;

  it('the CSV carries the reporting currency, and per row the original currencies and amounts', () => {
    const [record] = parse(costReportCsv([row], []), { columns: true }) as Array<Record<string, string>>;
    expect(record).toMatchObject({
      reporting_currency: 'USD',
      original_currencies: 'ARS USD',
      original_committed: 'ARS 6000000.00',
      original_actual: 'ARS 6600000.00',
      committed: '6000.00',
      actual: '0.00',
      unconverted_actual: 'ARS 6600000.00',
      missing_rates: 'ARS/USD 2026-11-20',
    });
  });

  it('compare and the roll-up carry them too, and keep an unconverted shot out of the averages', () => {
    const vendor = compareRoutes([row]).find((r) => r.route === 'vendor')!;
    expect(vendor).toMatchObject({
      currency: 'USD',
      originalCurrencies: ['ARS', 'USD'],
      shots: 1,
      unconvertedShots: 1,
      costPerShot: null,
    });
    expect(rollup([row], 'show')[0]).toMatchObject({
      currency: 'USD',
      unconvertedShots: 1,
      unconvertedActual: [money(660_000_000, 'ARS')],
    });
  });
});

describe('a show’s reporting currency', () => {
  it('is its budget lines’ one currency: a lines file mixing two for a show is refused, naming the line', () => {
    const yaml =
      'lines:\n  - { id: A, show: ARG, currency: USD, amount: "1" }\n  - { id: B, show: ARG, currency: ARS, amount: "1" }\n  - { id: C, show: NTH, currency: EUR, amount: "1" }\n';
    expect(() => parseBudgetLines(yaml, 'l.yaml')).toThrow(
      /lines\[1\]\.currency: B is in ARS but show ARG's lines are in USD/,
    );
  });
});

describe('a rates file', () => {
  it('reads date,from,to,rate lines', () => {
    expect(parseFxRatesFile('date,from,to,rate\n2026-11-02,USD,ARS,1187.25\n', 'r.csv')).toEqual([
      rate('2026-11-02', 'USD', 'ARS', '1187.25'),
    ]);
  });

  it('reads the ECB’s reference-rate CSVs, daily and historical, skipping N/A', () => {
    const daily = 'Date, USD, JPY, BGN, \n28 November 2026, 1.0565, 161.10, N/A, \n';
    expect(parseFxRatesFile(daily, 'eurofxref.csv')).toEqual([
      rate('2026-11-28', 'EUR', 'USD', '1.0565'),
      rate('2026-11-28', 'EUR', 'JPY', '161.10'),
    ]);
    const hist = 'Date,USD,GBP,\n2026-11-27,1.0570,0.8321,\n2026-11-26,1.0555,0.8330,\n';
    expect(parseFxRatesFile(hist, 'eurofxref-hist.csv')).toHaveLength(4);
  });

  it('names every bad line and takes nothing from the file', () => {
    const bad =
      'date,from,to,rate\n2026-11-02,USD,ARS,1187.25\n2026-11-31,USD,ARS,1\n2026-11-03,USD,XXX,-3\n';
    try {
      parseFxRatesFile(bad, 'r.csv');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationFailed);
      expect((error as ValidationFailed).issues.map((i) => i.path)).toEqual(['line 3', 'line 4']);
    }
  });
});
