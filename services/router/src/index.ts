export type { RouteDecider } from './route-decider';
export { Router, type RouterOptions, type RoutingOutcome, workJobId } from './router';
