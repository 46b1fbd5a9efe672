import { z } from 'zod';
import { MissingEvidence } from './compliance';
import { LabourFigures } from './labour-report';
import { Money } from './money';
import { RuleMatch } from './routing-decision';

export const SimulatedRoute = z.enum(['genai', 'vendor', 'held', 'unrouted']);
/** Which figure a cost is: money actually spent, a rate-card estimate, or nothing while the shot is held. */
export const SimulatedFigureBasis = z.enum(['actual', 'estimate', 'held', 'unrouted']);

export const SimulatedTurnaround = z.object({
  medianHours: z.number().nullable(),
  p90Hours: z.number().nullable(),
  /** Where the figures come from: measured shots of this route and category, of this route, or the rate card. */
  basis: z.enum(['history-category', 'history-route', 'rate-card', 'none']),
});

export const SimulatedOutcome = z.object({
  route: SimulatedRoute,
  provider: z.string().optional(),
  decidedBy: z.string().optional(),
  rules: z.array(RuleMatch),
  cost: Money,
  basis: SimulatedFigureBasis,
  turnaround: SimulatedTurnaround,
});

export const SimulatedShot = z.object({
  shotId: z.string(),
  shot: z.string(),
  episode: z.string().optional(),
  sequence: z.string(),
  category: z.string(),
  actual: SimulatedOutcome,
  candidate: SimulatedOutcome,
  routeChanged: z.boolean(),
});
export type SimulatedShot = z.infer<typeof SimulatedShot>;

const Sum = z.object({ shots: z.int(), cost: z.int() });
export const SimulationComparison = z.object({
  key: z.string(),
  actual: Sum,
  candidate: Sum,
  difference: z.int(),
});
export type SimulationComparison = z.infer<typeof SimulationComparison>;

export const SimulationReport = z.object({
  show: z.string(),
  scope: z.object({ episode: z.string().optional(), sequence: z.string().optional() }),
  /** The log was read up to this entry; later traffic is not in the answer. */
  snapshot: z.object({ upTo: z.string(), at: z.string() }),
  candidatePolicy: z.object({ id: z.string(), version: z.string() }),
  currency: z.string(),
  shots: z.array(SimulatedShot),
  skipped: z.array(z.object({ shotId: z.string(), reason: z.string() })),
  totals: SimulationComparison,
  bySequence: z.array(SimulationComparison),
  byRoute: z.array(SimulationComparison),
  budgetLines: z.array(
    z.object({
      lineId: z.string(),
      budget: z.int(),
      actual: z.int(),
      candidate: z.int(),
      /** Thresholds (percent) the candidate routing would cross that the actual one did not. */
      wouldCross: z.array(z.number()),
      /** Thresholds the actual routing crossed that the candidate would stay under. */
      wouldClear: z.array(z.number()),
    }),
  ),
  compliance: z.object({
    actualHolds: z.int(),
    candidateHolds: z.int(),
    /** Shots the candidate routing would hold that were not held, and the evidence that is not on file. */
    newHolds: z.array(
      z.object({
        shotId: z.string(),
        shot: z.string(),
        ruleIds: z.array(z.string()),
        missing: z.array(MissingEvidence),
      }),
    ),
  }),
  /**
   * The labour impact report's figures for the shots in scope, as routed and under the candidate: what
   * the policy change would mean for vendors' and crews' work (docs/labour-impact.md).
   */
  labour: z.object({
    actual: LabourFigures,
    candidate: LabourFigures,
    byCategory: z.array(z.object({ key: z.string(), actual: LabourFigures, candidate: LabourFigures })),
  }),
  turnaroundHistory: z.array(
    z.object({
      route: z.string(),
      category: z.string(),
      samples: z.int(),
      medianHours: z.number(),
      p90Hours: z.number(),
    }),
  ),
});
export type SimulationReport = z.infer<typeof SimulationReport>;
