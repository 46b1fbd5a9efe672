import type { PrecheckResult, RoutingDecision, Shot } from '@shotcaller/contracts';

/**
 * Decides where a shot goes and whether compliance lets the work start. The router owns the moves and
 * the queues; this owns the judgement (policy, estimates, consents), so each can be tested alone.
 */
export interface RouteDecider {
  decide(shot: Shot, now: Date): Promise<{ decision: RoutingDecision; precheck: PrecheckResult }>;
}
