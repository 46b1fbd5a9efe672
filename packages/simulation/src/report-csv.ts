import { toMajor } from '@shotcaller/budget';
import type { SimulationReport } from '@shotcaller/contracts';

export const simulationColumns = [
  'shot_id',
  'episode',
  'sequence',
  'shot',
  'category',
  'actual_route',
  'actual_decided_by',
  'actual_cost',
  'actual_basis',
  'candidate_route',
  'candidate_decided_by',
  'candidate_cost',
  'candidate_basis',
  'difference',
  'route_changed',
  'candidate_turnaround_median_hours',
  'candidate_turnaround_p90_hours',
  'currency',
] as const;

const field = (v: string | number | boolean | null | undefined) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One row per simulated shot, amounts in major units (exact), as RFC 4180 CSV. */
export function simulationCsv(report: SimulationReport): string {
  const c = report.currency || 'USD';
  const rows = report.shots.map((s) => [
    s.shotId,
    s.episode,
    s.sequence,
    s.shot,
    s.category,
    s.actual.route,
    s.actual.decidedBy,
    toMajor(s.actual.cost.amountMinor, c),
    s.actual.basis,
    s.candidate.route,
    s.candidate.decidedBy,
    toMajor(s.candidate.cost.amountMinor, c),
    s.candidate.basis,
    toMajor(s.candidate.cost.amountMinor - s.actual.cost.amountMinor, c),
    s.routeChanged,
    s.candidate.turnaround.medianHours,
    s.candidate.turnaround.p90Hours,
    report.currency,
  ]);
  return `${[simulationColumns, ...rows].map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}
