import { formatMoney, type RoutingDecision } from '@shotcaller/contracts';

/** A routing decision as a TD reads it in a terminal. */
export function explainDecision(decision: RoutingDecision): string {
  const lines = [
    `route:      ${decision.route}${decision.provider ? ` (${decision.provider})` : ''}`,
    `decided by: ${decision.decidedBy} — policy ${decision.policyId} (${decision.policyVersion.slice(0, 12)})`,
  ];
  if (decision.override) {
    lines.push(
      `override:   by ${decision.override.by} at ${decision.override.at}: ${decision.override.reason}`,
    );
  }
  lines.push(decision.matchedRules.length ? 'matched rules, in policy order:' : 'no rule matched');
  for (const m of decision.matchedRules)
    lines.push(`  ${m.ruleId === decision.decidedBy ? '*' : '-'} ${m.ruleId} → ${m.outcome}: ${m.reason}`);
  for (const e of [decision.estimates.genai, decision.estimates.vendor]) {
    lines.push(`${`${e.route} estimate:`.padEnd(18)}${formatMoney(e.cost)}, ${e.turnaroundHours} h`);
    lines.push(`  ${e.basis}`);
  }
  lines.push(decision.explanation);
  return lines.join('\n');
}
