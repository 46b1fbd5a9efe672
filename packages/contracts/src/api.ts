import { z } from 'zod';
import { EventEnvelope } from './event-envelope';
import { Route } from './routing-decision';
import { Shot } from './shot';
import { ShotState } from './shot-state';

/** RFC 9457 problem document, with the stable error code and, for bad input, every bad field. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  instance: z.string().optional(),
  code: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** On 429: seconds until the caller's budget refills, as the `Retry-After` header says. */
  retryAfterSeconds: z.int().nonnegative().optional(),
  /** On `shot_code_taken`: the live shot that has the code, and where it is. */
  liveShot: z.object({ id: z.string(), code: z.string(), state: ShotState, href: z.string() }).optional(),
});
export type Problem = z.infer<typeof Problem>;

export const SubmitBatchRequest = z.strictObject({
  shots: z.array(z.unknown()).min(1, 'must hold at least one shot'),
  /** Submit the valid shots even when others are invalid; by default one bad shot stops the batch. */
  partial: z.boolean().default(false),
});
export type SubmitBatchRequest = z.infer<typeof SubmitBatchRequest>;

/**
 * What became of one shot of a batch. `conflict`: it was valid but refused, as a single submission
 * would have been with a 409; `code` says why (`shot_code_taken`: `shotId` is the live shot with its
 * code; `idempotency_conflict`: `shotId` is the shot its key made) and `errors` says what to do.
 */
export const SubmitResult = z.object({
  index: z.int().nonnegative(),
  status: z.enum(['created', 'existing', 'invalid', 'conflict']),
  shotId: z.string().optional(),
  code: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export const SubmitBatchResponse = z.object({ results: z.array(SubmitResult) });
export type SubmitBatchResponse = z.infer<typeof SubmitBatchResponse>;

export const OverrideRequest = z.strictObject({
  route: Route,
  reason: z.string().trim().min(3, 'must say why (3 characters or more)').max(2000),
});
export const CancelRequest = z.strictObject({ reason: z.string().trim().min(1, 'must say why').max(2000) });
export const ReviewRequest = z.strictObject({ note: z.string().trim().max(5000).default('') });
export const RejectRequest = z.strictObject({
  note: z.string().trim().min(1, 'must say what is wrong').max(5000),
});

export const ShotView = Shot.extend({
  history: z.array(EventEnvelope).optional(),
  /** The latest live progress of the task running now (a live event: never in `history`). */
  progress: EventEnvelope.optional(),
});
export type ShotView = z.infer<typeof ShotView>;

export const ListShotsQuery = z.strictObject({
  show: z.string().optional(),
  state: ShotState.optional(),
  route: Route.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.coerce.number().int().nonnegative().optional(),
});
export const ShotListResponse = z.object({ shots: z.array(Shot), nextCursor: z.int().optional() });
export type ShotListResponse = z.infer<typeof ShotListResponse>;

/** Artist hours spent on a shot's AI work, as a supervisor logs them; `recordId` makes a retried call count once. */
export const ArtistTimeRequest = z.strictObject({
  hours: z.number().positive('must be more than zero hours').max(10_000, 'must be at most 10,000 hours'),
  note: z.string().trim().max(2000).default(''),
  recordId: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'must be 1–100 letters, digits, "_", "." or "-"')
    .optional(),
});
