import { type Money, minorUnitDigits } from '@shotcaller/contracts';
import type { BudgetLine } from './budget-lines';
import type { LedgerRow } from './ledger-row';

export const reportColumns = [
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
] as const;

/** Minor units as a decimal string in major units: 123456 USD → "1234.56"; exact, no float. */
export function toMajor(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const negative = minor < 0;
  const s = String(Math.abs(minor)).padStart(digits + 1, '0');
  const text = digits === 0 ? s : `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  return negative ? `-${text}` : text;
}

/** Amounts in several currencies as one cell: "ARS 6000000.00 USD 12.50". */
const amounts = (ms: readonly Money[]) =>
  ms.map((m) => `${m.currency} ${toMajor(m.amountMinor, m.currency)}`).join(' ');

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The cost report: one row per shot with the budget line's budget and variance beside it (RFC 4180 CSV).
 * Figures are in the reporting currency; the costs as billed, in their original currencies, sit beside
 * them, and so does what could not be converted for want of a rate.
 */
export function costReportCsv(
  rows: readonly LedgerRow[],
  lines: readonly BudgetLine[],
  /** Per line, the version to compare with and its budget in the line's currency (default: the line's amount). */
  versions: ReadonlyMap<string, { version: string; budget: number | null }> = new Map(),
): string {
  const lineEfc = new Map<string, number>();
  for (const r of rows) lineEfc.set(r.lineId, (lineEfc.get(r.lineId) ?? 0) + r.efc);
  const byId = new Map(lines.map((l) => [l.id, l]));
  const out = [reportColumns.join(',')];
  const sorted = [...rows].sort((a, b) =>
    `${a.show}/${a.episode ?? ''}/${a.sequence}/${a.shot}`.localeCompare(
      `${b.show}/${b.episode ?? ''}/${b.sequence}/${b.shot}`,
    ),
  );
  for (const r of sorted) {
    const line = byId.get(r.lineId);
    const m = (n: number) => toMajor(n, r.currency);
    const version = versions.get(r.lineId);
    const budget = version ? version.budget : line ? line.amount.amountMinor : null;
    out.push(
      [
        r.show,
        r.episode ?? '',
        r.sequence,
        r.shot,
        r.shotId,
        r.route ?? '',
        r.lineId,
        r.currency,
        r.originalCurrencies.join(' '),
        amounts(r.originalCommitted),
        amounts(r.originalActual),
        m(r.estimate),
        m(r.committed),
        m(r.actual),
        m(r.failedAttempts),
        m(r.etc),
        m(r.efc),
        version?.version ?? '',
        budget === null ? '' : m(budget),
        budget === null ? '' : m(budget - (lineEfc.get(r.lineId) ?? 0)),
        amounts(r.unconvertedCommitted),
        amounts(r.unconvertedActual),
        r.missingRates.map((x) => `${x.from}/${x.to} ${x.date}`).join(' '),
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${out.join('\r\n')}\r\n`;
}
