import type { LabourImpactReport, LabourScope } from '@shotcaller/contracts';
import { Complexity, CurrencyMismatch, type ShotcallerEvent } from '@shotcaller/contracts';
import { groupFigures, sumFigures } from './labour-figures';
import { foldShots } from './shot-labour';

const inScope = (r: { show: string; episode?: string; sequence: string }, scope: LabourScope) =>
  r.show === scope.show &&
  (!scope.episode || r.episode === scope.episode) &&
  (!scope.sequence || r.sequence === scope.sequence);

/** What each figure rests on, said once with the report (the CSV and the dashboard repeat it). */
export const labourBases: LabourImpactReport['bases'] = [
  {
    figure: 'vendor would-be cost, vendor turnaround',
    basis:
      'Estimate: the vendor route’s estimate recorded when the shot was routed (rate card per frame × complexity + per-shot overhead), never recomputed with later rates. Not a bid: vendors’ bids and invoices for shots that did go to them differ from their estimates.',
  },
  {
    figure: 'vendor artist-days not contracted',
    basis:
      'Estimate: the vendor estimate’s frame work (without the per-shot overhead) divided by the rate cards’ blended artist day rate, as recorded at routing. A day rate is an average over seniorities and studios: read it to about a tenth of a day per shot and to whole days in totals.',
  },
  {
    figure: 'genai artist time (estimate)',
    basis:
      'Estimate: the genai provider’s artist time per shot on the rate cards (prompting, supervising, review), in money and in artist-days at the same day rate, recorded at routing.',
  },
  {
    figure: 'artist hours recorded',
    basis:
      'Actual: the hours supervisors recorded against the shot’s AI work (genai.artist-time.recorded events); shots with none recorded are counted separately, not as zero.',
  },
  {
    figure: 'returned to vendor',
    basis:
      'Shots routed to AI that went to a vendor (review rejected, generation failed, overridden, consent revoked, or held by compliance and sent on): counted once, on the vendor side, with the vendor estimate of their latest routing.',
  },
  {
    figure: 'period and weeks',
    basis:
      'A shot counts in the period, and in the ISO week (UTC), of the routing or reroute that put its work on the side it is on at the end of the period. Events after the period’s end are not read.',
  },
  {
    figure: 'precision',
    basis:
      'Amounts are exact sums of the recorded estimates in minor units; the CSV and tables show whole currency units, because the rate cards that produced them are a model, not a price.',
  },
];

/**
 * The labour impact of routing for a show (or an episode or sequence) over a period: a pure fold over
 * the show's events, so it can be rebuilt from the log at any time and reads no rates of today.
 */
export function labourImpact(events: Iterable<ShotcallerEvent>, scope: LabourScope): LabourImpactReport {
  const to = scope.to ? Date.parse(scope.to) : Number.POSITIVE_INFINITY;
  const from = scope.from ? Date.parse(scope.from) : Number.NEGATIVE_INFINITY;
  let upTo: string | null = null;
  const read: ShotcallerEvent[] = [];
  for (const e of events) {
    if (Date.parse(e.time) >= to) continue;
    read.push(e);
    upTo = e.id;
  }
  const fold = foldShots(read);
  const shots = fold.shots
    .filter((s) => inScope(s, scope) && Date.parse(s.decidedAt) >= from)
    .sort((a, b) => a.sequence.localeCompare(b.sequence) || a.shot.localeCompare(b.shot));

  let currency: string | undefined;
  for (const { currency: c } of shots) {
    if (c === null) continue;
    currency ??= c;
    if (c !== currency) throw new CurrencyMismatch(currency, c);
  }

  return {
    scope,
    currency: currency ?? '',
    upTo,
    totals: sumFigures('total', shots),
    byEpisode: groupFigures(shots, (s) => s.episode ?? '-'),
    bySequence: groupFigures(shots, (s) => `${s.episode ?? '-'}/${s.sequence}`),
    byCategory: groupFigures(shots, (s) => s.category),
    byComplexity: groupFigures(shots, (s) => s.complexity, Complexity.options),
    byWeek: groupFigures(shots, (s) => s.week),
    shots,
    leftOut: {
      cancelled: fold.cancelled.filter((r) => inScope(r, scope)).length,
      notYetRouted: fold.notYetRouted.filter((r) => inScope(r, scope)).length,
    },
    bases: labourBases,
  };
}
