import { z } from 'zod';
import { PrecheckResult } from './compliance';
import { Route, RouteOverride, RoutingDecision } from './routing-decision';
import { ShotRequest } from './shot-request';
import { ShotState } from './shot-state';

/** A shot as Shotcaller keeps it: the request, where it is, and why it went where it went. */
export const Shot = z.object({
  id: z.string(),
  show: z.string(),
  request: ShotRequest,
  state: ShotState,
  route: Route.optional(),
  provider: z.string().optional(),
  decision: RoutingDecision.optional(),
  precheck: PrecheckResult.optional(),
  /** Starts at 1; a retry adds one. Queue job ids carry it so a retry is a new job. */
  attempt: z.int().positive(),
  submittedBy: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  /** A route the next routing must take: a TD's override, or vendor after AI work failed or was rejected. */
  forcedRoute: Route.optional(),
  /** The override behind `forcedRoute`, recorded on the decision when routing applies it. */
  pendingOverride: RouteOverride.optional(),
  /** The BullMQ job carrying the shot's current work, so a reroute can withdraw it. */
  workJobId: z.string().optional(),
  vendorWorkflowId: z.string().optional(),
  lastError: z.string().optional(),
  /** Bumped by every write; a write names the version it read (optimistic concurrency). */
  version: z.int().nonnegative(),
});
export type Shot = z.infer<typeof Shot>;
