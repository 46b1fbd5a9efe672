import {
  formatMoney,
  frameCount,
  type Money,
  type Route,
  type RouteEstimate,
  type RouteOverride,
  type RoutingDecision,
  type RuleMatch,
  type ShotRequest,
} from '@shotcaller/contracts';
import type { z } from 'zod';
import type { Condition } from './conditions';
import type { RoutingPolicy } from './policy';

export interface PolicyInput {
  shot: ShotRequest;
  estimates: { genai: RouteEstimate; vendor: RouteEstimate };
  /** What is left on the shot's budget line, when the budget tracker knows. */
  budgetRemaining?: Money;
  /** Consent is on file for every performer whose likeness the shot generates or alters. */
  consentOnFile: boolean;
  now: Date;
  /** A TD's override, or vendor after AI work failed or was rejected: wins over the rules. */
  forced?: { route: Route; reason: string; override?: RouteOverrideValue };
}
type RouteOverrideValue = z.infer<typeof RouteOverride>;

interface Verdict {
  matched: boolean;
  reason: string;
}

const list = (values: readonly string[]) => `[${values.join(', ')}]`;

function inOrNotIn(name: string, value: string, test: { in: string[] } | { notIn: string[] }): Verdict {
  if ('in' in test) {
    const matched = test.in.includes(value);
    return { matched, reason: `${name} ${value} is ${matched ? '' : 'not '}in ${list(test.in)}` };
  }
  const matched = !test.notIn.includes(value);
  return { matched, reason: `${name} ${value} is ${matched ? 'not ' : ''}in ${list(test.notIn)}` };
}

/** Evaluates one condition and says why it did or did not hold, in words a TD can check. */
export function evaluateCondition(condition: Condition, input: PolicyInput): Verdict {
  const { shot, estimates } = input;
  if ('category' in condition) return inOrNotIn('category', shot.category, condition.category);
  if ('deliverable' in condition) return inOrNotIn('deliverable', shot.deliverable, condition.deliverable);
  if ('complexity' in condition) return inOrNotIn('complexity', shot.complexity, condition.complexity);
  if ('requestedRoute' in condition)
    return inOrNotIn('requested route', shot.requestedRoute, condition.requestedRoute);
  if ('performers' in condition) {
    const n = shot.performers.length;
    const likeness = shot.performers.filter((p) => p.likeness !== 'none');
    const synthetic = shot.performers.filter((p) => p.kind === 'synthetic');
    switch (condition.performers) {
      case 'none':
        return {
          matched: n === 0,
          reason: n === 0 ? 'no performers in frame' : `${n} performer(s) in frame`,
        };
      case 'any':
        return { matched: n > 0, reason: n > 0 ? `${n} performer(s) in frame` : 'no performers in frame' };
      case 'likeness':
        return likeness.length > 0
          ? {
              matched: true,
              reason: `likeness ${likeness.map((p) => `${p.name} (${p.likeness})`).join(', ')}`,
            }
          : { matched: false, reason: 'no performer likeness generated or altered' };
      case 'synthetic':
        return synthetic.length > 0
          ? { matched: true, reason: `synthetic performer(s) ${synthetic.map((p) => p.name).join(', ')}` }
          : { matched: false, reason: 'no synthetic performer' };
    }
  }
  if ('frames' in condition) {
    const frames = frameCount(shot.frames);
    const { min, max } = condition.frames;
    const matched = (min === undefined || frames >= min) && (max === undefined || frames <= max);
    return {
      matched,
      reason: `${frames} frames is ${matched ? '' : 'not '}within ${min ?? 0}–${max ?? '∞'}`,
    };
  }
  if ('territories' in condition) {
    const hit = shot.territories.filter((t) => condition.territories.includesAny.includes(t));
    return hit.length > 0
      ? { matched: true, reason: `released in ${hit.join(', ')}` }
      : { matched: false, reason: `not released in any of ${list(condition.territories.includesAny)}` };
  }
  if ('vendorCostOverBudgetRemaining' in condition) {
    const remaining = input.budgetRemaining;
    if (!remaining || remaining.currency !== estimates.vendor.cost.currency) {
      return { matched: false, reason: 'budget remaining on the line is not known' };
    }
    const over = estimates.vendor.cost.amountMinor > remaining.amountMinor;
    const text = `vendor estimate ${formatMoney(estimates.vendor.cost)} is ${over ? 'over' : 'within'} the ${formatMoney(remaining)} left on budget line ${shot.budgetLine}`;
    return { matched: over === condition.vendorCostOverBudgetRemaining, reason: text };
  }
  if ('genaiCheaperBy' in condition) {
    const genai = estimates.genai.cost.amountMinor;
    const vendor = estimates.vendor.cost.amountMinor;
    const ratio = genai === 0 ? Number.POSITIVE_INFINITY : vendor / genai;
    const matched = ratio >= condition.genaiCheaperBy.ratio;
    return {
      matched,
      reason: `vendor estimate is ${ratio === Number.POSITIVE_INFINITY ? '∞' : ratio.toFixed(1)}× the genai estimate (rule wants ≥ ${condition.genaiCheaperBy.ratio}×)`,
    };
  }
  if ('vendorMissesDeadline' in condition) {
    const ready = input.now.getTime() + estimates.vendor.turnaroundHours * 3_600_000;
    const misses = ready > Date.parse(shot.deadline);
    return {
      matched: misses === condition.vendorMissesDeadline,
      reason: `a vendor would deliver around ${new Date(ready).toISOString().slice(0, 10)}, ${misses ? 'after' : 'before'} the deadline ${shot.deadline.slice(0, 10)}`,
    };
  }
  if ('consentOnFile' in condition) {
    const matched = input.consentOnFile === condition.consentOnFile;
    return {
      matched,
      reason: input.consentOnFile
        ? 'consent is on file for every altered or generated likeness'
        : 'consent is not on file for every altered or generated likeness',
    };
  }
  if ('all' in condition) {
    const verdicts = condition.all.map((c) => evaluateCondition(c, input));
    const failed = verdicts.filter((v) => !v.matched);
    return failed.length === 0
      ? { matched: true, reason: verdicts.map((v) => v.reason).join('; ') }
      : { matched: false, reason: failed.map((v) => v.reason).join('; ') };
  }
  if ('any' in condition) {
    const verdicts = condition.any.map((c) => evaluateCondition(c, input));
    const hit = verdicts.find((v) => v.matched);
    return hit
      ? { matched: true, reason: hit.reason }
      : { matched: false, reason: verdicts.map((v) => v.reason).join(' and ') };
  }
  const inner = evaluateCondition(condition.not, input);
  return { matched: !inner.matched, reason: inner.matched ? inner.reason : `not: ${inner.reason}` };
}

/**
 * The routing decision for a shot: pure, with every rule that matched and why. A forced route (override
 * or reroute) wins, then a requested route other than `auto`, then the first matching rule, then the default.
 */
export function evaluatePolicy(policy: RoutingPolicy, input: PolicyInput): RoutingDecision {
  const matches: Array<RuleMatch & { provider?: string }> = [];
  for (const rule of policy.rules) {
    const verdict = evaluateCondition(rule.when, input);
    if (verdict.matched)
      matches.push({
        ruleId: rule.id,
        outcome: rule.route,
        reason: verdict.reason,
        ...(rule.provider ? { provider: rule.provider } : {}),
      });
  }
  const first = matches[0];
  let route: Route;
  let decidedBy: string;
  let why: string;
  let provider: string | undefined;
  if (input.forced) {
    route = input.forced.route;
    decidedBy = input.forced.override ? 'override' : 'reroute';
    why = input.forced.reason;
  } else if (input.shot.requestedRoute !== 'auto') {
    route = input.shot.requestedRoute;
    decidedBy = 'requested';
    why = `the submitter asked for ${route}`;
  } else if (first) {
    route = first.outcome as Route;
    decidedBy = first.ruleId;
    why = first.reason;
    provider = first.provider;
  } else {
    route = policy.default.route;
    decidedBy = 'default';
    why = 'no rule matched, so the policy default applies';
    provider = policy.default.provider;
  }
  if (route === 'genai') provider ??= policy.default.provider ?? input.estimates.genai.provider;
  else provider = undefined;
  const others = matches.filter((m) => m.ruleId !== decidedBy).map((m) => `${m.ruleId} (${m.outcome})`);
  const explanation = [
    `Routed to ${route}${provider ? ` (${provider})` : ''} by ${decidedBy === 'default' ? 'the policy default' : decidedBy}: ${why}.`,
    `Estimates: genai ${formatMoney(input.estimates.genai.cost)} in ${input.estimates.genai.turnaroundHours} h; vendor ${formatMoney(input.estimates.vendor.cost)} in ${input.estimates.vendor.turnaroundHours} h.`,
    ...(others.length ? [`Also matched: ${others.join(', ')}.`] : []),
  ].join(' ');
  return {
    route,
    ...(provider ? { provider } : {}),
    policyId: policy.id,
    policyVersion: policy.policyVersion,
    decidedBy,
    matchedRules: matches.map(({ ruleId, outcome, reason }) => ({ ruleId, outcome, reason })),
    estimates: input.estimates,
    explanation,
    ...(input.forced?.override ? { override: input.forced.override } : {}),
  };
}
