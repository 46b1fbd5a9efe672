import { minorUnitDigits } from '@shotcaller/contracts';
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
  'currency',
  'estimate',
  'committed',
  'actual',
  'failed_attempts',
  'etc',
  'efc',
  'line_budget',
  'line_variance',
] as const;

/** Minor units as a decimal string in major units: 123456 USD → "1234.56"; exact, no float. */
export function toMajor(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const negative = minor < 0;
  const s = String(Math.abs(minor)).padStart(digits + 1, '0');
  const text = digits === 0 ? s : `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  return negative ? `-${text}` : text;
}

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The cost report: one row per shot with the budget line's budget and variance beside it (RFC 4180 CSV). */
export function costReportCsv(rows: readonly LedgerRow[], lines: readonly BudgetLine[]): string {
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
        m(r.estimate),
        m(r.committed),
        m(r.actual),
        m(r.failedAttempts),
        m(r.etc),
        m(r.efc),
        line ? m(line.amount.amountMinor) : '',
        line ? m(line.amount.amountMinor - (lineEfc.get(r.lineId) ?? 0)) : '',
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${out.join('\r\n')}\r\n`;
}
