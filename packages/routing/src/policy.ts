import { createHash } from 'node:crypto';
import { parseOrThrow, Route, ShotcallerError } from '@shotcaller/contracts';
import { z } from 'zod';
import { Condition } from './conditions';
import type { RateCards } from './rate-cards';
import { parseYamlText } from './yaml-file';

export const PolicyRule = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and "-"'),
  description: z.string().min(1),
  when: Condition,
  route: Route,
  /** For genai: which provider's adapter runs it; the rate cards' default when absent. */
  provider: z.string().min(1).optional(),
});
export type PolicyRule = z.infer<typeof PolicyRule>;

export const RoutingPolicyFile = z
  .strictObject({
    version: z.literal(1),
    id: z.string().min(1),
    description: z.string().default(''),
    rules: z.array(PolicyRule),
    default: z.strictObject({ route: Route, provider: z.string().min(1).optional() }),
  })
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.rules.forEach((rule, i) => {
      if (seen.has(rule.id))
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `repeats rule id "${rule.id}"` });
      seen.add(rule.id);
    });
  });

export type RoutingPolicy = z.infer<typeof RoutingPolicyFile> & { policyVersion: string; source: string };

/** Reads a routing policy from YAML text. Its version is the SHA-256 of the text, so a decision names its exact policy. */
export function parsePolicy(text: string, source: string): RoutingPolicy {
  const policy = parseOrThrow(RoutingPolicyFile, parseYamlText(text, source), `routing policy ${source}`);
  return { ...policy, policyVersion: createHash('sha256').update(text).digest('hex'), source };
}

/** A rule names a genai provider the rate cards do not price. */
export class PolicyProviderUnknown extends ShotcallerError {
  readonly code = 'policy_provider_unknown';
  constructor(
    readonly ruleId: string,
    readonly provider: string,
  ) {
    super(`Rule ${ruleId} sends work to genai provider "${provider}", which the rate cards do not price`);
  }
}

/** Checks that every provider a policy names is priced by the rate cards. */
export function checkPolicyAgainstRates(policy: RoutingPolicy, rates: RateCards): void {
  for (const rule of [...policy.rules, { id: 'default', ...policy.default }]) {
    if (rule.provider && !(rule.provider in rates.genai.providers))
      throw new PolicyProviderUnknown(rule.id, rule.provider);
  }
}
