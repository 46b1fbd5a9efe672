import type { RouteComparison } from '@shotcaller/contracts';
import type { LedgerRow } from './ledger-row';

/** Nearest-rank percentile (the smallest value with at least p% of values at or below it). */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

/** Genai against vendor: counts, cost per shot and per frame (EFC, rounded down to whole minor units), turnaround. */
export function compareRoutes(rows: readonly LedgerRow[]): RouteComparison[] {
  return (['genai', 'vendor'] as const).map((route) => {
    const all = rows.filter((r) => r.route === route);
    // A shot with an unconverted cost would pull the averages down: it is counted apart.
    const mine = all.filter((r) => r.missingRates.length === 0);
    const efc = mine.reduce((n, r) => n + r.efc, 0);
    const frames = all.reduce((n, r) => n + r.frames, 0);
    const costedFrames = mine.reduce((n, r) => n + r.frames, 0);
    const hours = all
      .filter((r) => r.approvedAt && r.submittedAt)
      .map((r) => (Date.parse(r.approvedAt!) - Date.parse(r.submittedAt!)) / 3_600_000)
      .sort((a, b) => a - b);
    const round = (h: number | null) => (h === null ? null : Math.round(h * 100) / 100);
    return {
      route,
      shots: all.length,
      frames,
      currency: all[0]?.currency ?? '',
      originalCurrencies: [...new Set(all.flatMap((r) => r.originalCurrencies))].sort(),
      unconvertedShots: all.length - mine.length,
      closedShots: all.filter((r) => r.closed).length,
      costPerShot: mine.length ? Math.floor(efc / mine.length) : null,
      costPerFrame: costedFrames ? Math.floor(efc / costedFrames) : null,
      turnaroundHours: {
        median: round(nearestRank(hours, 50)),
        p90: round(nearestRank(hours, 90)),
        approved: hours.length,
      },
    };
  });
}
