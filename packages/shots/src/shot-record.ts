import { PrecheckResult, Route, RoutingDecision, ShotRequest, ShotState } from '@shotcaller/contracts';
import { z } from 'zod';

/** A shot as Shotcaller keeps it: the request, where it is, and why it went where it went. */
export const ShotRecord = z.object({
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
  vendorWorkflowId: z.string().optional(),
  lastError: z.string().optional(),
  /** Bumped by every write; a write names the version it read (optimistic concurrency). */
  version: z.int().nonnegative(),
});
export type ShotRecord = z.infer<typeof ShotRecord>;
