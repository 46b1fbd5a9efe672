import { CurrencyMismatch } from '@shotcaller/contracts';
import type { BudgetLine } from './budget-lines';
import type { LedgerRow } from './ledger-row';

export interface Totals {
  shots: number;
  frames: number;
  estimate: number;
  committed: number;
  actual: number;
  /** Of `actual`: what genai attempts that delivered nothing cost. */
  failedAttempts: number;
  etc: number;
  efc: number;
}

export interface RollupRow extends Totals {
  key: string;
  currency: string;
  /** Only where the key is a budget line. */
  budget?: number;
  variance?: number;
}

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
      g = {
        key,
        currency: row.currency,
        shots: 0,
        frames: 0,
        estimate: 0,
        committed: 0,
        actual: 0,
        failedAttempts: 0,
        etc: 0,
        efc: 0,
      };
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
  }
  if (by === 'line') {
    for (const line of lines) {
      const g = groups.get(line.id) ?? {
        key: line.id,
        currency: line.amount.currency,
        shots: 0,
        frames: 0,
        estimate: 0,
        committed: 0,
        actual: 0,
        failedAttempts: 0,
        etc: 0,
        efc: 0,
      };
      if (g.currency !== line.amount.currency) throw new CurrencyMismatch(line.amount.currency, g.currency);
      g.budget = line.amount.amountMinor;
      g.variance = line.amount.amountMinor - g.efc;
      groups.set(line.id, g);
    }
  }
  return [...groups.values()].sort((a, b) => a.key.localeCompare(b.key));
}
