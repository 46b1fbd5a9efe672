import { type Fact, FxRates, factOf, foldRow, type LineDelta, ledgerChange } from '@shotcaller/budget';
import { CurrencyMismatch } from '@shotcaller/contracts';
import { describe, expect, it } from 'vitest';
import { plannedShot } from './events';

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const factsOf = (n: number) =>
  plannedShot(n)
    .events.map((e) => factOf(e)?.fact)
    .filter((f) => f !== undefined);
const submitted = (over: Partial<Extract<Fact, { kind: 'submitted' }>> = {}): Fact => ({
  kind: 'submitted',
  at: '2026-11-01T00:00:00.000Z',
  show: 'NTH',
  sequence: 'SQ',
  shot: 'S1',
  lineId: 'L1',
  frames: 10,
  ...over,
});

/** Stores `facts` one by one in the given order, summing what each moves per line. */
function applyAll(facts: readonly Fact[]) {
  const stored: Fact[] = [];
  const totals = new Map<string, Omit<LineDelta, 'lineId'>>();
  const shows: string[] = [];
  for (const fact of facts) {
    const change = ledgerChange('s', stored, fact);
    if (!change) continue;
    stored.push(fact);
    for (const { lineId, ...d } of change.lines) {
      const t = totals.get(lineId) ?? { shots: 0, estimate: 0, committed: 0, actual: 0, etc: 0, efc: 0 };
      for (const k of Object.keys(d) as Array<keyof typeof d>) t[k] += d[k];
      totals.set(lineId, t);
    }
    if (change.joinShow) shows.push(change.joinShow);
  }
  return { stored, totals, shows };
}

describe('what one more fact changes in the ledger', () => {
  it.each([1, 2, 3, 4, 6, 7, 9, 10])(
    'moves the line by exactly shot %i’s row, whatever order its facts arrive in',
    (n) => {
      const facts = factsOf(n);
      const row = foldRow('s', facts, 'USD')!;
      const line = {
        shots: 1,
        estimate: row.estimate,
        committed: row.committed,
        actual: row.actual,
        etc: row.etc,
        efc: row.efc,
      };
      for (const order of [facts, [...facts].reverse(), [...facts.slice(2), ...facts.slice(0, 2)]]) {
        const { totals, shows } = applyAll(order);
        expect(Object.fromEntries(totals)).toEqual({ [row.lineId]: line });
        expect(shows).toEqual(['NTH']);
      }
    },
  );

  it('keeps nothing of a task end whose task already ended, and keeps one that comes first', () => {
    const usage: Fact = {
      kind: 'usage',
      at: '2026-11-01T00:02:00.000Z',
      taskId: 't',
      amount: usd(5),
      outcome: 'completed',
    };
    const ended: Fact = { kind: 'task-ended', at: '2026-11-01T00:03:00.000Z', taskId: 't' };
    expect(ledgerChange('s', [submitted(), usage], ended)).toBeUndefined();
    expect(
      ledgerChange('s', [submitted(), ended], { ...ended, at: '2026-11-01T00:04:00.000Z' }),
    ).toBeUndefined();
    expect(ledgerChange('s', [submitted()], ended)).toEqual({ lines: [] });
    expect(ledgerChange('s', [submitted(), ended], usage)).toBeDefined();
  });

  it('keeps facts that come before the submission, and counts them all when it arrives', () => {
    const routed: Fact = {
      kind: 'routed',
      at: '2026-11-01T00:01:00.000Z',
      route: 'vendor',
      estimate: usd(700),
    };
    expect(ledgerChange('s', [], routed)).toEqual({ lines: [] });
    expect(ledgerChange('s', [routed], submitted())).toEqual({
      lines: [{ lineId: 'L1', shots: 1, estimate: 700, committed: 0, actual: 0, etc: 700, efc: 700 }],
      joinShow: 'NTH',
      currency: 'USD',
    });
  });

  it('asks for the line’s currency to be checked when the row first carries money, even at zero', () => {
    const free: Fact = { kind: 'routed', at: '2026-11-01T00:01:00.000Z', route: 'genai', estimate: usd(0) };
    expect(ledgerChange('s', [submitted()], free)).toEqual({
      lines: [{ lineId: 'L1', shots: 0, estimate: 0, committed: 0, actual: 0, etc: 0, efc: 0 }],
      currency: 'USD',
    });
    const approved: Fact = { kind: 'approved', at: '2026-11-01T00:05:00.000Z' };
    expect(ledgerChange('s', [submitted(), free], approved)).toEqual({ lines: [], currency: 'USD' });
  });

  it('moves a shot revised onto another line or show off the old one', () => {
    const routed: Fact = {
      kind: 'routed',
      at: '2026-11-01T00:01:00.000Z',
      route: 'vendor',
      estimate: usd(700),
    };
    const revised = submitted({ at: '2026-11-01T00:02:00.000Z', lineId: 'L2', show: 'OTH' });
    expect(ledgerChange('s', [submitted(), routed], revised)).toEqual({
      lines: [
        { lineId: 'L1', shots: -1, estimate: -700, committed: 0, actual: 0, etc: -700, efc: -700 },
        { lineId: 'L2', shots: 1, estimate: 700, committed: 0, actual: 0, etc: 700, efc: 700 },
      ],
      joinShow: 'OTH',
      leaveShow: 'NTH',
      currency: 'USD',
    });
  });

  it('refuses money in another currency than the shot’s before anything is stored', () => {
    const routed: Fact = {
      kind: 'routed',
      at: '2026-11-01T00:01:00.000Z',
      route: 'vendor',
      estimate: usd(700),
    };
    const award: Fact = {
      kind: 'awarded',
      at: '2026-11-01T00:03:00.000Z',
      amount: { amountMinor: 1, currency: 'EUR' },
    };
    expect(() => ledgerChange('s', [submitted(), routed], award)).toThrow(CurrencyMismatch);
  });

  it('with rates, converts it into the line’s currency, and names a rate it misses the first time only', () => {
    const money = {
      currencyOf: () => 'USD',
      rates: new FxRates([{ date: '2026-11-01', from: 'USD', to: 'ARS', rate: '1000' }]),
    };
    const routed: Fact = {
      kind: 'routed',
      at: '2026-11-01T00:01:00.000Z',
      route: 'vendor',
      estimate: usd(700),
    };
    const ars = (at: string, amountMinor: number): Fact => ({
      kind: 'awarded',
      at,
      amount: { amountMinor, currency: 'ARS' },
    });
    const converted = ledgerChange(
      's',
      [submitted(), routed],
      ars('2026-11-01T00:03:00.000Z', 1_000_000),
      money,
    )!;
    expect(converted.lines).toEqual([expect.objectContaining({ lineId: 'L1', committed: 1_000, efc: 300 })]);
    expect(converted.newlyMissing).toBeUndefined();
    const early = ars('2026-10-20T00:00:00.000Z', 5_000);
    const missing = ledgerChange('s', [submitted(), routed], early, money)!;
    expect(missing.newlyMissing).toEqual({
      show: 'NTH',
      lineId: 'L1',
      rates: [{ from: 'ARS', to: 'USD', date: '2026-10-20' }],
    });
    const invoice: Fact = {
      kind: 'invoiced',
      at: '2026-10-21T00:00:00.000Z',
      invoiceId: 'i',
      amount: { amountMinor: 5_000, currency: 'ARS' },
    };
    expect(ledgerChange('s', [submitted(), routed, early], invoice, money)!.newlyMissing?.rates).toEqual([
      { from: 'ARS', to: 'USD', date: '2026-10-21' },
    ]);
  });
});

describe('a task end after an attempt that delivered nothing', () => {
  it('is kept: a failed attempt’s usage does not end its task, so the end still releases the reservation', () => {
    const failed: Fact = {
      kind: 'usage',
      at: '2026-11-01T00:02:00.000Z',
      taskId: 't',
      amount: usd(5),
      provider: 'fal',
      outcome: 'failed',
    };
    const ended: Fact = { kind: 'task-ended', at: '2026-11-01T00:03:00.000Z', taskId: 't' };
    expect(ledgerChange('s', [submitted(), failed], ended)).toBeDefined();
  });
});
