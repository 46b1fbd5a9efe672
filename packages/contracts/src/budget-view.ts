import { z } from 'zod';
import { Money } from './money';

// The accountant's documents (`GET /v1/budgets…`): the ledger computes them, the API sends them, the
// CLI and the dashboard read them. All amounts are integer minor units of the row's `currency`.

/** The sums of a group of shots. */
export const BudgetTotals = z.object({
  shots: z.int(),
  frames: z.int(),
  estimate: z.int(),
  committed: z.int(),
  actual: z.int(),
  failedAttempts: z.int().describe('of actual: what genai attempts that delivered nothing cost'),
  etc: z.int(),
  efc: z.int(),
});
export type BudgetTotals = z.infer<typeof BudgetTotals>;

/** One row of the roll-up by show, episode, sequence, route or budget line. */
export const BudgetRollupRow = BudgetTotals.extend({
  key: z.string(),
  currency: z.string().describe('the reporting currency: the budget lines’'),
  originalCurrencies: z.array(z.string()).describe('the currencies the costs were billed in'),
  unconvertedShots: z.int().describe('shots with a cost whose exchange rate is missing'),
  unconvertedCommitted: z.array(Money).describe('committed left out of the figures for want of a rate'),
  unconvertedActual: z.array(Money).describe('actual left out of the figures for want of a rate'),
  budget: z.int().optional().describe('only where the key is a budget line'),
  variance: z.int().optional().describe('budget − EFC; only where the key is a budget line'),
});
export type BudgetRollupRow = z.infer<typeof BudgetRollupRow>;

/** An exchange rate the ledger needed and did not have. */
export const MissingFxRate = z.object({ from: z.string(), to: z.string(), date: z.string() });
export type MissingFxRate = z.infer<typeof MissingFxRate>;

/** A version of a budget line beside the line's EFC. */
export const BudgetVersionComparison = z.object({
  version: z.string(),
  current: z.boolean(),
  amount: Money,
  at: z.string(),
  budget: z
    .int()
    .nullable()
    .describe('in the reporting currency at the rate of the version’s day; null if that rate is missing'),
  variance: z.int().nullable().describe('budget − EFC'),
  missingRate: MissingFxRate.optional(),
});
export type BudgetVersionComparison = z.infer<typeof BudgetVersionComparison>;

/** Every version of one budget line against its EFC. */
export const BudgetLineVersions = z.object({
  lineId: z.string(),
  currency: z.string(),
  efc: z.int(),
  currentVersion: z.string().nullable(),
  versions: z.array(BudgetVersionComparison),
});
export type BudgetLineVersions = z.infer<typeof BudgetLineVersions>;

/** `GET /v1/budgets`: a show's roll-up. */
export const BudgetView = z.object({
  show: z.string(),
  reportingCurrency: z.string().nullable(),
  versions: z.array(BudgetLineVersions).describe('each line’s budget versions against its EFC'),
  lines: z.array(BudgetRollupRow),
  byRoute: z.array(BudgetRollupRow),
  byEpisode: z.array(BudgetRollupRow),
  bySequence: z.array(BudgetRollupRow),
  total: z.array(BudgetRollupRow),
});
export type BudgetView = z.infer<typeof BudgetView>;

/** `GET /v1/budgets/history`: the burn, the threshold alerts and the missing rates of a show. */
export const BudgetHistory = z.object({
  show: z.string(),
  burn: z.array(z.object({ at: z.string(), actual: z.int(), currency: z.string() })),
  alerts: z.array(
    z.object({
      at: z.string(),
      lineId: z.string(),
      show: z.string(),
      thresholdPercent: z.number(),
      direction: z.enum(['up', 'down']),
      measure: z.string(),
      value: Money,
      budget: Money,
    }),
  ),
  missingRates: z
    .array(MissingFxRate.extend({ at: z.string(), lineId: z.string(), shotId: z.string() }))
    .describe('costs that could not be converted for want of a rate, as accountants were alerted'),
});
export type BudgetHistory = z.infer<typeof BudgetHistory>;

const Lost = z.object({ attempts: z.int(), amount: z.int() });
/** What one genai provider was paid, and how much of it went on attempts that delivered nothing. */
export const ProviderSpend = z.object({
  provider: z.string(),
  currency: z.string(),
  attempts: z.int().describe('attempts the provider charged for, delivered or not'),
  actual: z.int(),
  failedAttempts: z.int().describe('of actual: attempts that failed, were cancelled or timed out'),
  byOutcome: z.object({ failed: Lost, cancelled: Lost, 'timed-out': Lost }),
});
export type ProviderSpend = z.infer<typeof ProviderSpend>;

/** One route of `GET /v1/budgets/compare`: genai against vendor. */
export const RouteComparison = z.object({
  route: z.enum(['genai', 'vendor']),
  shots: z.int(),
  frames: z.int(),
  currency: z.string().describe('the reporting currency of the figures'),
  originalCurrencies: z.array(z.string()).describe('the currencies the costs were billed in'),
  unconvertedShots: z
    .int()
    .describe('shots with a cost whose rate is missing: left out of cost per shot and per frame'),
  closedShots: z.int().describe('approved or cancelled shots: what they finally cost'),
  costPerShot: z.int().nullable().describe('EFC per shot, rounded down'),
  costPerFrame: z.int().nullable().describe('EFC per frame, rounded down'),
  turnaroundHours: z
    .object({ median: z.number().nullable(), p90: z.number().nullable(), approved: z.int() })
    .describe('hours from submission to approval, nearest-rank; null when no shot is approved yet'),
});
export type RouteComparison = z.infer<typeof RouteComparison>;
