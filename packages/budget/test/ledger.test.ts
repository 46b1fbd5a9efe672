import {
  compareRoutes,
  costReportCsv,
  factOf,
  foldRow,
  nearestRank,
  parseBudgetLines,
  providerSpend,
  rollup,
  toMajor,
} from '@shotcaller/budget';
import { CurrencyMismatch } from '@shotcaller/contracts';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { plannedShot } from './events';

const rowOf = (n: number, shuffle = false) => {
  const planned = plannedShot(n);
  const facts = planned.events
    .map(factOf)
    .filter((f) => f !== undefined)
    .map((f) => f.fact);
  if (shuffle) facts.reverse();
  return { planned, row: foldRow(planned.shotId, facts, 'USD')! };
};
const lines = parseBudgetLines(
  'lines:\n  - { id: NTH-EP01, show: NTH, episode: EP01, currency: USD, amount: "250000.00" }\n  - { id: NTH-EP02, show: NTH, episode: EP02, currency: USD, amount: "1000.50", thresholdsPercent: [50] }\n',
  'lines.yaml',
);

describe('a shot’s ledger row', () => {
  it.each([1, 2, 3, 4, 6, 7, 9, 10])(
    'matches the hand-computed figures of shot %i, in any arrival order',
    (n) => {
      const { planned, row } = rowOf(n);
      expect({ committed: row.committed, actual: row.actual, efc: row.efc }).toEqual(planned.expected);
      expect(rowOf(n, true).row).toEqual(row);
    },
  );

  it('keeps a running genai reservation committed until usage arrives', () => {
    const p = plannedShot(2);
    const facts = p.events.slice(0, 3).map((e) => factOf(e)!.fact);
    const row = foldRow(p.shotId, facts, 'USD')!;
    expect(row).toMatchObject({ committed: p.estimate, actual: 0, etc: p.estimate, efc: p.estimate });
  });

  it('counts what failed attempts cost in actual and apart, without taking it off the estimate to complete', () => {
    const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
    const submitted = factOf(plannedShot(1).events[0]!)!.fact;
    const usage = (at: string, amountMinor: number, outcome: 'completed' | 'failed' | 'timed-out') =>
      ({ kind: 'usage', at, taskId: 't', amount: usd(amountMinor), provider: 'comfyui', outcome }) as const;
    const facts = [
      submitted,
      { kind: 'routed', at: '2026-01-02T00:00:00Z', route: 'genai', estimate: usd(10_000) },
      { kind: 'reserved', at: '2026-01-02T00:00:01Z', taskId: 't', amount: usd(10_000) },
      usage('2026-01-02T00:10:00Z', 4_000, 'failed'),
    ] as const;
    const retrying = foldRow('s', [...facts], 'USD')!;
    // The retry runs under the same task: its reservation is still committed, and all of it is still to do.
    expect(retrying).toMatchObject({ committed: 10_000, actual: 4_000, failedAttempts: 4_000, etc: 10_000 });
    expect(retrying.efc).toBe(14_000);
    const delivered = foldRow(
      's',
      [
        ...facts,
        usage('2026-01-02T00:20:00Z', 1_500, 'timed-out'),
        usage('2026-01-02T00:40:00Z', 9_000, 'completed'),
      ],
      'USD',
    )!;
    expect(delivered).toMatchObject({ committed: 0, actual: 14_500, failedAttempts: 5_500, etc: 1_000 });
    expect(rollup([delivered], 'show')[0]).toMatchObject({ actual: 14_500, failedAttempts: 5_500 });
  });

  it('sums genai spend by provider, with failed, cancelled and timed-out attempts apart', () => {
    const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
    const usage = (provider: string, amountMinor: number, outcome: 'completed' | 'failed' | 'cancelled') =>
      ({
        kind: 'usage',
        at: '2026-01-02T00:00:00Z',
        taskId: 't',
        amount: usd(amountMinor),
        provider,
        outcome,
      }) as const;
    expect(
      providerSpend([
        usage('comfyui', 4_000, 'failed'),
        usage('comfyui', 9_000, 'completed'),
        usage('replicate', 300, 'cancelled'),
        usage('comfyui', 2_000, 'failed'),
      ]),
    ).toEqual([
      {
        provider: 'comfyui',
        currency: 'USD',
        attempts: 3,
        actual: 15_000,
        failedAttempts: 6_000,
        byOutcome: {
          failed: { attempts: 2, amount: 6_000 },
          cancelled: { attempts: 0, amount: 0 },
          'timed-out': { attempts: 0, amount: 0 },
        },
      },
      {
        provider: 'replicate',
        currency: 'USD',
        attempts: 1,
        actual: 300,
        failedAttempts: 300,
        byOutcome: {
          failed: { attempts: 0, amount: 0 },
          cancelled: { attempts: 1, amount: 300 },
          'timed-out': { attempts: 0, amount: 0 },
        },
      },
    ]);
  });

  it('keeps an approved vendor award in the EFC until its invoice arrives', () => {
    const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
    const submitted = factOf(plannedShot(1).events[0]!)!.fact;
    const base = [
      submitted,
      { kind: 'routed', at: '2026-01-02T00:00:00Z', route: 'vendor', estimate: usd(10_000) },
      { kind: 'awarded', at: '2026-01-03T00:00:00Z', amount: usd(9_000) },
      { kind: 'approved', at: '2026-01-04T00:00:00Z' },
    ] as const;
    const approved = foldRow('s', [...base], 'USD')!;
    expect(approved).toMatchObject({ committed: 9_000, actual: 0, etc: 9_000, efc: 9_000, closed: true });
    const invoiced = foldRow(
      's',
      [...base, { kind: 'invoiced', at: '2026-01-05T00:00:00Z', invoiceId: 'i', amount: usd(9_500) }],
      'USD',
    )!;
    expect(invoiced).toMatchObject({ actual: 9_500, etc: 0, efc: 9_500 });
    const cancelled = foldRow(
      's',
      [...base.slice(0, 3), { kind: 'cancelled', at: '2026-01-04T00:00:00Z' }],
      'USD',
    )!;
    expect(cancelled).toMatchObject({ etc: 0, efc: 0 });
  });

  it('waits for the submitted event before it has a row', () => {
    const p = plannedShot(2);
    expect(foldRow(p.shotId, [factOf(p.events[1]!)!.fact], 'USD')).toBeUndefined();
  });

  it('refuses to add amounts in two currencies', () => {
    const p = plannedShot(2);
    const facts = p.events.map((e) => factOf(e)?.fact).filter((f) => f !== undefined);
    const usage = facts.find((f) => f.kind === 'usage')!;
    if (usage.kind === 'usage') usage.amount = { amountMinor: 5, currency: 'EUR' };
    expect(() => foldRow(p.shotId, facts, 'USD')).toThrow(CurrencyMismatch);
  });
});

describe('roll-ups and reports', () => {
  const rows = Array.from({ length: 30 }, (_, i) => rowOf(i + 1).row);

  it('rolls up by line with budget and variance, and the parts add up to the show', () => {
    const byLine = rollup(rows, 'line', lines);
    const show = rollup(rows, 'show')[0]!;
    expect(byLine.reduce((n, l) => n + l.efc, 0)).toBe(show.efc);
    const ep02 = byLine.find((l) => l.key === 'NTH-EP02')!;
    expect(ep02.budget).toBe(100_050);
    expect(ep02.variance).toBe(100_050 - ep02.efc);
    expect(rollup(rows, 'route').map((r) => r.key)).toEqual(['genai', 'vendor']);
  });

  it('refuses a roll-up that would mix currencies', () => {
    expect(() => rollup([...rows, { ...rows[0]!, shotId: 'x', currency: 'EUR' }], 'show')).toThrow(
      CurrencyMismatch,
    );
  });

  it('writes a cost report CSV that parses, with totals that match the roll-up', () => {
    const csv = costReportCsv(rows, lines);
    const records = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(records).toHaveLength(30);
    const cents = (s: string) => Math.round(Number(s) * 100);
    expect(records.reduce((n, r) => n + cents(r.efc!), 0)).toBe(rollup(rows, 'show')[0]!.efc);
    expect(Object.keys(records[0]!)).toEqual([
      'show',
      'episode',
      'sequence',
      'shot',
      'shot_id',
      'route',
      'budget_line',
      'reporting_currency',
      'original_currencies',
      'original_committed',
      'original_actual',
      'estimate',
      'committed',
      'actual',
      'failed_attempts',
      'etc',
      'efc',
      'line_version',
      'line_budget',
      'line_variance',
      'unconverted_committed',
      'unconverted_actual',
      'missing_rates',
    ]);
    expect(records[0]).toMatchObject({ reporting_currency: 'USD', original_currencies: 'USD' });
  });

  it('quotes fields that need it', () => {
    const csv = costReportCsv([{ ...rows[0]!, shot: 'A,"B"' }], lines);
    expect(csv.split('\r\n')[1]).toContain('"A,""B"""');
  });

  it('writes money exactly, in the currency’s own decimals', () => {
    expect(toMajor(123_456, 'USD')).toBe('1234.56');
    expect(toMajor(5, 'USD')).toBe('0.05');
    expect(toMajor(-5, 'USD')).toBe('-0.05');
    expect(toMajor(5000, 'JPY')).toBe('5000');
    expect(toMajor(1, 'BHD')).toBe('0.001');
  });

  it('refuses an amount with more decimals than the currency has', () => {
    expect(() =>
      parseBudgetLines('lines:\n  - { id: L, show: NTH, currency: JPY, amount: "10.5" }\n', 'l.yaml'),
    ).toThrow(/more decimals/);
  });

  it('compares genai and vendor with nearest-rank percentiles', () => {
    const comparison = compareRoutes(rows);
    expect(comparison.map((c) => c.route)).toEqual(['genai', 'vendor']);
    expect(comparison[0]!.shots + comparison[1]!.shots).toBe(30);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(nearestRank([], 50)).toBeNull();
  });
});
