import type { PrecheckResult, RuleFinding } from '@shotcaller/contracts';
import { catalogue } from './catalogue';
import type { PrecheckInput } from './context';
import type { Rule } from './rule';

/** Actions whose unmet evidence stops AI work until it is recorded. */
const holding = new Set(['block', 'require-approval', 'notify-union']);

/**
 * The compliance pre-check the router runs before any AI work: every applicable rule's finding, and
 * `hold` when a rule that blocks, needs approval or needs union notice is not yet satisfied.
 */
export function precheck(input: PrecheckInput, rules: readonly Rule[] = catalogue): PrecheckResult {
  const findings: RuleFinding[] = [];
  const consentIds = new Set<string>();
  const approvalIds = new Set<string>();
  for (const rule of rules) {
    if (!rule.routes.includes(input.route)) continue;
    const outcome = rule.evaluate(input);
    if (outcome === undefined) continue;
    for (const o of Array.isArray(outcome) ? outcome : [outcome]) {
      findings.push({
        ruleId: rule.id,
        title: rule.title,
        source: rule.source,
        action: rule.action,
        severity: rule.severity,
        satisfied: o.satisfied,
        reason: o.reason,
        missing: (o.missing ?? []).map((m) => ({ ...m, ruleId: rule.id })),
      });
      if (o.satisfied) {
        for (const id of o.consentIds ?? []) consentIds.add(id);
        for (const id of o.approvalIds ?? []) approvalIds.add(id);
      }
    }
  }
  const hold = findings.some((f) => !f.satisfied && holding.has(f.action));
  return {
    outcome: hold ? 'hold' : 'allow',
    findings,
    consentIds: [...consentIds],
    approvalIds: [...approvalIds],
  };
}
