import type { LabourFigures } from '@shotcaller/contracts';

// The labour tables as the CLI and the dashboard show them. This file imports types only, so the
// dashboard bundles it (`@shotcaller/reports/labour-table`) without zod or Redis.

/** Artist-days (or hours) to one decimal: a blended day rate supports no finer reading. */
export function tenths(n: number): string {
  return (Math.round(n * 10) / 10).toFixed(1);
}

/** Estimates in whole currency units, e.g. `USD 1,234,567`; each caller formats with what it has. */
export type WholeMoney = (minor: number) => string;

type Cell = string | number;

/** The columns of the labour impact tables after the group's key: heading, and the cell of a group. */
export function labourGroupColumns(whole: WholeMoney): Array<[string, (g: LabourFigures) => Cell]> {
  return [
    ['AI shots', (g) => g.aiShots],
    ['vendor estimate not spent (est.)', (g) => whole(g.vendorWouldBeCost)],
    ['vendor artist-days not contracted (est.)', (g) => tenths(g.vendorArtistDaysNotContracted)],
    ['artist time on AI (est.)', (g) => whole(g.genaiArtistCost)],
    ['artist-days on AI (est.)', (g) => tenths(g.genaiArtistDays)],
    [
      'artist hours recorded',
      (g) => (g.aiShotsWithActual > 0 ? `${tenths(g.actualArtistHours)} (${g.aiShotsWithActual} shots)` : ''),
    ],
    ['vendor shots', (g) => g.vendorShots],
    ['of them returned from AI', (g) => g.returnedShots],
    ['held', (g) => g.heldShots],
  ];
}

/** The what-if's labour rows: each figure, as routed and under the candidate policy. */
export function labourComparisonRows(
  whole: WholeMoney,
  actual: LabourFigures,
  candidate: LabourFigures,
): Cell[][] {
  const figures: Array<[string, (f: LabourFigures) => Cell]> = [
    ['shots to AI', (f) => f.aiShots],
    ['vendor estimate not spent (est.)', (f) => whole(f.vendorWouldBeCost)],
    ['vendor artist-days not contracted (est.)', (f) => tenths(f.vendorArtistDaysNotContracted)],
    ['artist-days on AI shots (est.)', (f) => tenths(f.genaiArtistDays)],
    ['shots to vendors', (f) => f.vendorShots],
    ['vendor artist-days contracted (est.)', (f) => tenths(f.vendorArtistDays)],
    ['held', (f) => f.heldShots],
  ];
  return figures.map(([what, pick]) => [what, pick(actual), pick(candidate)]);
}
