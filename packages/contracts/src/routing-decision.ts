import { z } from 'zod';
import { NonNegativeMoney } from './money';

export const Route = z.enum(['genai', 'vendor']);
export type Route = z.infer<typeof Route>;

/**
 * The people's work inside a route's estimate, as the rate cards put it at routing: for genai the
 * artist time to prompt, supervise and review; for a vendor the frame work (its per-shot overhead is
 * production management, not artists). Recorded so a labour report never recomputes with later rates.
 */
export const LabourEstimate = z.strictObject({
  artistCost: NonNegativeMoney,
  /** `artistCost` over the rate cards' artist day rate, to hundredths; absent when they name none. */
  artistDays: z.number().nonnegative().optional(),
  basis: z.string(),
});
export type LabourEstimate = z.infer<typeof LabourEstimate>;

/** What one route would cost and take, and how that was worked out. */
export const RouteEstimate = z.strictObject({
  route: Route,
  cost: NonNegativeMoney,
  turnaroundHours: z.number().nonnegative(),
  /** The rate card line and arithmetic behind the figure, for people. */
  basis: z.string(),
  provider: z.string().optional(),
  /** Optional so that decisions recorded before it existed still replay. */
  labour: LabourEstimate.optional(),
});
export type RouteEstimate = z.infer<typeof RouteEstimate>;

export const RuleMatch = z.strictObject({
  ruleId: z.string(),
  /** The rule's outcome: a route, or `hold` when it stops the shot. */
  outcome: z.union([Route, z.literal('hold')]),
  reason: z.string(),
});
export type RuleMatch = z.infer<typeof RuleMatch>;

export const RouteOverride = z.strictObject({
  by: z.string(),
  reason: z.string().min(1),
  at: z.iso.datetime({ offset: true }),
  previousRoute: Route.optional(),
});

/** The router's verdict on one shot, with everything needed to explain it later. */
export const RoutingDecision = z.strictObject({
  route: Route,
  provider: z.string().optional(),
  policyId: z.string(),
  /** Content hash of the policy file, so a decision names exactly which policy made it. */
  policyVersion: z.string(),
  decidedBy: z.string(),
  matchedRules: z.array(RuleMatch),
  estimates: z.strictObject({ genai: RouteEstimate, vendor: RouteEstimate }),
  explanation: z.string(),
  override: RouteOverride.optional(),
});
export type RoutingDecision = z.infer<typeof RoutingDecision>;
