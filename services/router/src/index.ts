export { PolicyDecider, type PolicyDeciderOptions } from './policy-decider';
export type { RouteDecider } from './route-decider';
export { Router, type RouterOptions, type RoutingOutcome, workJobId } from './router';
