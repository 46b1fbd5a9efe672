import { ComplianceAction, parseOrThrow, Severity, ShotcallerError } from '@shotcaller/contracts';
import { z } from 'zod';
import type { Rule } from './rule';

/** How strongly an action stops AI work, so "tighten" and "loosen" have a meaning. */
const strength: Record<ComplianceAction, number> = {
  record: 0,
  disclose: 1,
  'notify-union': 2,
  'require-approval': 3,
  block: 4,
};
const severityRank: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/**
 * A production's changes to the catalogue, keyed by rule id. Tightening (a stronger action, a higher
 * severity) needs only a reason; disabling a rule or loosening it needs `allowLoosening: true` as well,
 * so weakening a protection is always a deliberate, recorded act.
 */
export const RuleConfig = z.record(
  z.string(),
  z.strictObject({
    enabled: z.boolean().optional(),
    action: ComplianceAction.optional(),
    severity: Severity.optional(),
    reason: z.string().trim().min(3, 'must say why the production changes this rule'),
    allowLoosening: z.boolean().default(false),
  }),
);
export type RuleConfig = z.infer<typeof RuleConfig>;

export class RuleConfigRefused extends ShotcallerError {
  readonly code = 'rule_config_refused';
  constructor(
    readonly ruleId: string,
    reason: string,
  ) {
    super(`Rule ${ruleId}: ${reason}`);
  }
}

export interface RuleChange {
  ruleId: string;
  field: 'enabled' | 'action' | 'severity';
  before: string;
  after: string;
  reason: string;
}

/** The rules in force after a production's configuration, and the changes to record in the audit trail. */
export function applyRuleConfig(
  catalogue: readonly Rule[],
  input: unknown,
): { rules: Rule[]; changes: RuleChange[] } {
  const config = parseOrThrow(RuleConfig, input ?? {}, 'compliance rule configuration');
  const known = new Set(catalogue.map((r) => r.id));
  for (const id of Object.keys(config))
    if (!known.has(id))
      throw new RuleConfigRefused(id, 'no such rule in the catalogue (see GET /v1/compliance/rules)');
  const changes: RuleChange[] = [];
  const rules: Rule[] = [];
  for (const rule of catalogue) {
    const c = config[rule.id];
    if (!c) {
      rules.push(rule);
      continue;
    }
    const loosening =
      c.enabled === false ||
      (c.action !== undefined && strength[c.action] < strength[rule.action]) ||
      (c.severity !== undefined && severityRank[c.severity] < severityRank[rule.severity]);
    if (loosening && !c.allowLoosening) {
      throw new RuleConfigRefused(
        rule.id,
        'disabling or loosening a rule needs allowLoosening: true and a reason a production’s counsel has agreed',
      );
    }
    if (c.enabled === false) {
      changes.push({ ruleId: rule.id, field: 'enabled', before: 'true', after: 'false', reason: c.reason });
      continue;
    }
    if (c.action && c.action !== rule.action)
      changes.push({
        ruleId: rule.id,
        field: 'action',
        before: rule.action,
        after: c.action,
        reason: c.reason,
      });
    if (c.severity && c.severity !== rule.severity)
      changes.push({
        ruleId: rule.id,
        field: 'severity',
        before: rule.severity,
        after: c.severity,
        reason: c.reason,
      });
    rules.push({ ...rule, action: c.action ?? rule.action, severity: c.severity ?? rule.severity });
  }
  return { rules, changes };
}
