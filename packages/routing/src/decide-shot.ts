import {
  catalogue,
  matchingConsents,
  type ProviderProfile,
  precheck,
  type Rule,
  usesNeeded,
} from '@shotcaller/compliance';
import type {
  ApprovalRecord,
  ConsentRecord,
  Money,
  PrecheckResult,
  Route,
  RouteOverride,
  RoutingDecision,
  ShotRequest,
} from '@shotcaller/contracts';
import type { z } from 'zod';
import { estimateRoutes } from './estimate';
import { evaluatePolicy } from './evaluate';
import type { RoutingPolicy } from './policy';
import type { RateCards } from './rate-cards';

export interface DecideShotInput {
  request: ShotRequest;
  shotId?: string;
  policy: RoutingPolicy;
  rates: RateCards;
  /** Consents in force for the shot's performers, and the show's approvals: a snapshot. */
  consents: readonly ConsentRecord[];
  approvals: readonly ApprovalRecord[];
  /** What each genai provider does with data, for the model-provenance rules. */
  providers: Readonly<Record<string, ProviderProfile>>;
  rules?: readonly Rule[];
  now: Date;
  budgetRemaining?: Money;
  forced?: { route: Route; reason: string; override?: z.infer<typeof RouteOverride> };
  /** The shot had a vendor ticket before: AI work now may displace union crew. */
  previouslyAtVendor?: boolean;
}

/**
 * Where a shot goes and whether compliance lets the work start, from the policy, the rate cards and
 * what is on file. Pure: the router calls it with live records, a what-if with a snapshot.
 */
export function decideShot(input: DecideShotInput): { decision: RoutingDecision; precheck: PrecheckResult } {
  const { request, now } = input;
  const consents = [...input.consents];
  const consentOnFile = request.performers
    .filter((p) => p.kind === 'human' && usesNeeded(p).length > 0)
    .every(
      (p) =>
        matchingConsents(consents, {
          performer: p,
          show: request.show,
          territories: request.territories,
          now,
        }).covering.length > 0,
    );
  const decision = evaluatePolicy(input.policy, {
    shot: request,
    estimates: estimateRoutes(request, input.rates),
    consentOnFile,
    now,
    ...(input.budgetRemaining ? { budgetRemaining: input.budgetRemaining } : {}),
    ...(input.forced ? { forced: input.forced } : {}),
  });
  const provider = decision.provider ? input.providers[decision.provider] : undefined;
  const result = precheck(
    {
      shot: request,
      ...(input.shotId ? { shotId: input.shotId } : {}),
      route: decision.route,
      ...(provider ? { provider } : {}),
      consents,
      approvals: [...input.approvals],
      history: {
        previouslyBidOrAwardedToUnionVendor: Boolean(input.previouslyAtVendor) && decision.route === 'genai',
      },
      now,
    },
    input.rules ?? catalogue,
  );
  return { decision, precheck: result };
}
