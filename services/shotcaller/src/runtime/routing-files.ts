import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ShotcallerConfig } from '@shotcaller/platform';
import {
  checkPolicyAgainstRates,
  parsePolicy,
  parseRateCards,
  type RateCards,
  type RoutingPolicy,
} from '@shotcaller/routing';
import { examplesDir } from '../examples';

/** The configured policy and rate cards, or the bundled examples; checked against each other. */
export function loadRoutingFiles(config: ShotcallerConfig): { policy: RoutingPolicy; rates: RateCards } {
  const policyFile = config.routing.policyFile ?? join(examplesDir(), 'policy.yaml');
  const ratesFile = config.routing.rateCardsFile ?? join(examplesDir(), 'rate-cards.yaml');
  const policy = parsePolicy(readFileSync(policyFile, 'utf8'), policyFile);
  const rates = parseRateCards(readFileSync(ratesFile, 'utf8'), ratesFile);
  checkPolicyAgainstRates(policy, rates);
  return { policy, rates };
}
