import type { ConsentRegistry, ProviderProfile, Rule } from '@shotcaller/compliance';
import type { Money, PrecheckResult, RoutingDecision, Shot } from '@shotcaller/contracts';
import { decideShot, type RateCards, type RoutingPolicy } from '@shotcaller/routing';
import type { RouteDecider } from './route-decider';

export interface PolicyDeciderOptions {
  policy: RoutingPolicy;
  rates: RateCards;
  registry: ConsentRegistry;
  /** What each genai provider does with data, for the model-provenance rules. */
  providers: Record<string, ProviderProfile>;
  /** What is left on a budget line, when the budget tracker runs. */
  budgetRemaining?: (shot: Shot) => Promise<Money | undefined>;
  /** The rules in force for this production (the catalogue after its configuration). */
  rules?: readonly Rule[];
}

/** Decides with the routing policy and the rate cards, then runs the compliance pre-check for the chosen route. */
export class PolicyDecider implements RouteDecider {
  constructor(private readonly options: PolicyDeciderOptions) {}

  async decide(shot: Shot, now: Date): Promise<{ decision: RoutingDecision; precheck: PrecheckResult }> {
    const { policy, rates, registry } = this.options;
    const request = shot.request;
    const [consents, approvals, budgetRemaining] = await Promise.all([
      registry.consentsFor(request.performers.map((p) => p.id)),
      registry.approvalsFor(request.show),
      this.options.budgetRemaining?.(shot),
    ]);
    const { decision, precheck: result } = decideShot({
      request,
      shotId: shot.id,
      policy,
      rates,
      consents,
      approvals,
      providers: this.options.providers,
      ...(this.options.rules ? { rules: this.options.rules } : {}),
      now,
      ...(budgetRemaining ? { budgetRemaining } : {}),
      ...(shot.forcedRoute
        ? {
            forced: {
              route: shot.forcedRoute,
              reason: shot.pendingOverride?.reason ?? shot.lastError ?? 'rerouted',
              ...(shot.pendingOverride ? { override: shot.pendingOverride } : {}),
            },
          }
        : {}),
      previouslyAtVendor: Boolean(shot.vendorWorkflowId),
    });
    if (result.outcome === 'allow' && result.consentIds.length > 0)
      await registry.noteReliance(shot.id, result.consentIds);
    return { decision, precheck: result };
  }
}
