import { z } from 'zod';

/** Where a shot is in its life. The legal moves between states live in the lifecycle package. */
export const ShotState = z.enum([
  'submitted',
  'routing',
  'held',
  'queued',
  'in-progress',
  'delivered',
  'in-review',
  'approved',
  'rejected',
  'rerouted',
  'cancelled',
  'failed',
]);
export type ShotState = z.infer<typeof ShotState>;
