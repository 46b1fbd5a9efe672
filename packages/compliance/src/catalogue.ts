import { createHash } from 'node:crypto';
import type { Rule } from './rule';
import { modelRules } from './rules/models';
import { performerRules } from './rules/performers';
import { productionRules } from './rules/production';

/** Every rule Shotcaller knows, in the order findings are reported. */
export const catalogue: readonly Rule[] = [...performerRules, ...productionRules, ...modelRules];

/**
 * The version of a set of rules, as configured: a hash of what each rule is and does (id, title,
 * source, action, severity, routes), so a Content Credentials manifest or a report names exactly the
 * rules a compliance check ran under. The same rules give the same version on every machine.
 */
export function ruleCatalogueVersion(rules: readonly Rule[]): string {
  const canonical = rules.map((r) => [r.id, r.title, r.source, r.action, r.severity, [...r.routes]]);
  return `sha256:${createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 16)}`;
}
