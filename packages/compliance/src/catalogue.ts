import type { Rule } from './rule';
import { modelRules } from './rules/models';
import { performerRules } from './rules/performers';
import { productionRules } from './rules/production';

/** Every rule Shotcaller knows, in the order findings are reported. */
export const catalogue: readonly Rule[] = [...performerRules, ...productionRules, ...modelRules];
