export type { Condition } from './conditions';
export { type DecideShotInput, decideShot } from './decide-shot';
export { estimateRoutes, UnknownProvider } from './estimate';
export { evaluateCondition, evaluatePolicy, type PolicyInput } from './evaluate';
export { explainDecision } from './explain';
export {
  checkPolicyAgainstRates,
  PolicyProviderUnknown,
  type PolicyRule,
  parsePolicy,
  type RoutingPolicy,
  RoutingPolicyFile,
} from './policy';
export { priceUsage } from './price-usage';
export { parseRateCards, RateCards } from './rate-cards';
export { YamlSyntaxError } from './yaml-file';
