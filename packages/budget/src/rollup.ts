import { type BudgetRollupRow, CurrencyMismatch, type Money } from '@shotcaller/contracts';
import type { BudgetLine } from './budget-lines';
import type { LedgerRow } from './ledger-row';

/** One row of the roll-up; the API sends it as it is. */
export type RollupRow = BudgetRollupRow;

export type RollupBy = 'show' | 'episode' | 'sequence' | 'route' | 'line';

const keyOf = (row: LedgerRow, by: RollupBy): string => {
  switch (by) {
    case 'show':
      return row.show;
    case 'episode':
      return `${row.show}/${row.episode ?? '-'}`;
    case 'sequence':
      return `${row.show}/${row.episode ?? '-'}/${row.sequence}`;
    case 'route':
      return row.route ?? 'unrouted';
    case 'line':
      return row.lineId;
  }
};

const empty = (key: string, currency: string): RollupRow => ({
  key,
  currency,
  originalCurrencies: [],
  unconvertedShots: 0,
  unconvertedCommitted: [],
  unconvertedActual: [],
  shots: 0,
  frames: 0,
  estimate: 0,
  committed: 0,
  actual: 0,
  failedAttempts: 0,
  etc: 0,
  efc: 0,
});

/** `sums` plus `more`, summed per currency, sorted by currency. */
export function addMoney(sums: readonly Money[], more: readonly Money[]): Money[] {
  const out = new Map(sums.map((m) => [m.currency, m.amountMinor]));
  for (const m of more) out.set(m.currency, (out.get(m.currency) ?? 0) + m.amountMinor);
  return [...out]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amountMinor]) => ({ amountMinor, currency }));
}

/** Sums ledger rows by show, episode, sequence, route or budget line. Rows in two currencies under one key are refused. */
export function rollup(
  rows: readonly LedgerRow[],
  by: RollupBy,
  lines: readonly BudgetLine[] = [],
): RollupRow[] {
  const groups = new Map<string, RollupRow>();
  for (const row of rows) {
    const key = keyOf(row, by);
    let g = groups.get(key);
    if (!g) {
      g = empty(key, row.currency);
      groups.set(key, g);
    }
    if (g.currency !== row.currency) throw new CurrencyMismatch(g.currency, row.currency);
    g.shots += 1;
    g.frames += row.frames;
    g.estimate += row.estimate;
    g.committed += row.committed;
    g.actual += row.actual;
    g.failedAttempts += row.failedAttempts;
    g.etc += row.etc;
    g.efc += row.efc;
    g.originalCurrencies = [...new Set([...g.originalCurrencies, ...row.originalCurrencies])].sort();
    if (row.missingRates.length > 0) g.unconvertedShots += 1;
    g.unconvertedCommitted = addMoney(g.unconvertedCommitted, row.unconvertedCommitted);
    g.unconvertedActual = addMoney(g.unconvertedActual, row.unconvertedActual);
  }
  if (by === 'line') {
    for (const line of lines) {
      const g = groups.get(line.id) ?? empty(line.id, line.amount.currency);
      if (g.currency !== line.amount.currency) throw new CurrencyMismatch(line.amount.currency, g.currency);
      g.budget = line.amount.amountMinor;
      g.variance = line.amount.amountMinor - g.efc;
      groups.set(line.id, g);
    }
  }
  return [...groups.values()].sort((a, b) => a.key.localeCompare(b.key));
}
