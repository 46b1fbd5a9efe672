import type { LedgerRow } from './ledger-row';

export const accuracyDimensions = ['route', 'category', 'complexity', 'provider', 'vendor'] as const;
export type AccuracyDimension = (typeof accuracyDimensions)[number];

/** How far estimates were from what settled shots finally cost, over a group of shots. */
export interface AccuracyGroup {
  key: string;
  shots: number;
  /** Sums in the reporting currency, minor units. */
  estimate: number;
  actual: number;
  /** Of each shot's error, (actual − estimate) / estimate in percent: positive means it cost more. */
  meanErrorPercent: number;
  medianErrorPercent: number;
  /** The spread of the errors: nearest-rank 10th and 90th percentiles, population standard deviation. */
  p10ErrorPercent: number;
  p90ErrorPercent: number;
  stdDevPercent: number;
  /** Median of actual / estimate: what to multiply the estimate by. */
  medianRatio: number;
}

export interface AccuracyReport {
  currency: string;
  /** Approved shots with a non-zero estimate and every cost converted. */
  settledShots: number;
  /** Approved shots left out: an unconverted cost, or no estimate. */
  leftOut: number;
  overall: AccuracyGroup | null;
  by: Record<AccuracyDimension, AccuracyGroup[]>;
  /** Per ISO week of approval (`2026-W45`) or month (`2026-11`), oldest first. */
  overTime: Array<AccuracyGroup & { period: string }>;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const rank = (sorted: readonly number[], p: number) =>
  sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;

/** Median of an odd count is the middle value; of an even count the mean of the two middle ones. */
function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The estimate, the actual and the error of one settled shot. */
export interface Settled {
  row: LedgerRow;
  errorPercent: number;
  ratio: number;
}

function group(key: string, shots: readonly Settled[]): AccuracyGroup {
  const errors = shots.map((s) => s.errorPercent).sort((a, b) => a - b);
  const ratios = shots.map((s) => s.ratio).sort((a, b) => a - b);
  const mean = errors.reduce((n, e) => n + e, 0) / errors.length;
  const variance = errors.reduce((n, e) => n + (e - mean) ** 2, 0) / errors.length;
  return {
    key,
    shots: shots.length,
    estimate: shots.reduce((n, s) => n + s.row.estimate, 0),
    actual: shots.reduce((n, s) => n + s.row.actual, 0),
    meanErrorPercent: round2(mean),
    medianErrorPercent: round2(median(errors)),
    p10ErrorPercent: round2(rank(errors, 10)),
    p90ErrorPercent: round2(rank(errors, 90)),
    stdDevPercent: round2(Math.sqrt(variance)),
    medianRatio: Math.round(median(ratios) * 10_000) / 10_000,
  };
}

function groupBy(shots: readonly Settled[], keysOf: (s: Settled) => readonly string[]): AccuracyGroup[] {
  const groups = new Map<string, Settled[]>();
  for (const s of shots) for (const k of keysOf(s)) groups.set(k, [...(groups.get(k) ?? []), s]);
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => group(k, g));
}

/** ISO 8601 week of a UTC day, e.g. `2026-W45`. */
export function isoWeek(at: string): string {
  const d = new Date(`${at.slice(0, 10)}T00:00:00Z`);
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * Estimate against actual for settled (approved) shots: the error of each shot is
 * (actual − estimate) / estimate, so a shot that cost 20% more than estimated is +20; grouped by route,
 * category, complexity, genai provider and vendor, and by week or month of approval. Cancelled and open
 * shots have no final cost yet; a shot with an unconverted cost or no estimate is left out and counted.
 */
export function estimateAccuracy(
  rows: readonly LedgerRow[],
  period: 'week' | 'month' = 'week',
): AccuracyReport {
  const approved = rows.filter((r) => r.closed && r.approvedAt !== undefined);
  const settled: Settled[] = approved
    .filter((r) => r.estimate > 0 && r.missingRates.length === 0)
    .map((row) => ({
      row,
      errorPercent: ((row.actual - row.estimate) / row.estimate) * 100,
      ratio: row.actual / row.estimate,
    }));
  const periodOf = (s: Settled) =>
    period === 'week' ? isoWeek(s.row.approvedAt!) : s.row.approvedAt!.slice(0, 7);
  return {
    currency: rows[0]?.currency ?? '',
    settledShots: settled.length,
    leftOut: approved.length - settled.length,
    overall: settled.length ? group('all', settled) : null,
    by: {
      route: groupBy(settled, (s) => [s.row.route ?? 'unrouted']),
      category: groupBy(settled, (s) => [s.row.category ?? 'unknown']),
      complexity: groupBy(settled, (s) => [s.row.complexity ?? 'unknown']),
      provider: groupBy(settled, (s) => (s.row.route === 'genai' ? s.row.providers : [])),
      vendor: groupBy(settled, (s) => (s.row.route === 'vendor' && s.row.vendorId ? [s.row.vendorId] : [])),
    },
    overTime: groupBy(settled, (s) => [periodOf(s)]).map((g) => ({ ...g, period: g.key })),
  };
}
