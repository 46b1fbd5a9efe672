import type { SimulationComparison, SimulationReport } from '@shotcaller/contracts';

// The what-if's tables as the CLI and the dashboard show them. This file imports types only, so the
// dashboard bundles it (`@shotcaller/simulation/what-if-tables`) without zod or Redis.

/** Minor units as people read them; each caller formats with what it has. */
type Format = (minor: number) => string;
type Cell = string | number;

/** The headings of a comparison table (by route, by sequence, the total) after the group's key. */
export const comparisonHead = [
  'shots as routed',
  'cost as routed',
  'shots under candidate',
  'cost under candidate',
  'difference',
];

/** A group's row of a comparison table; `difference` may sign the amount. */
export function comparisonRow(c: SimulationComparison, money: Format, difference: Format = money): Cell[] {
  return [
    c.key,
    c.actual.shots,
    money(c.actual.cost),
    c.candidate.shots,
    money(c.candidate.cost),
    difference(c.difference),
  ];
}

/** The headings of the budget lines table. */
export const budgetLinesHead = [
  'line',
  'budget',
  'as routed',
  'under candidate',
  'would cross',
  'would clear',
];

/** A budget line's row: its budget, its spend both ways, and the thresholds the candidate would cross or clear. */
export function budgetLineRow(l: SimulationReport['budgetLines'][number], money: Format): Cell[] {
  const percents = (ts: number[]) => ts.map((t) => `${t}%`).join(' ');
  return [
    l.lineId,
    money(l.budget),
    money(l.actual),
    money(l.candidate),
    percents(l.wouldCross),
    percents(l.wouldClear),
  ];
}
