import { z } from 'zod';
import { ShotState } from './shot-state';

/** How a shot of a turnover compares with what Shotcaller already has (docs/turnovers.md). */
export const TurnoverChange = z.enum([
  'new',
  'unchanged',
  'lengthened',
  'shortened',
  'moved',
  'omitted',
  'invalid',
]);
export type TurnoverChange = z.infer<typeof TurnoverChange>;

/** What the import did about it. */
export const TurnoverAction = z.enum([
  'created',
  'would-create',
  'revised',
  'would-revise',
  'posted-to-ticket',
  'reported',
  'none',
]);
export type TurnoverAction = z.infer<typeof TurnoverAction>;

/** One line of a turnover report: a shot of the cut, or a shot the cut no longer has. */
export const TurnoverEntry = z.strictObject({
  sequence: z.string(),
  shot: z.string(),
  episode: z.string().optional(),
  /** The clip and its event number in this turnover; absent for an omitted shot. */
  clip: z.string().optional(),
  event: z.int().positive().optional(),
  change: TurnoverChange,
  /** Lengthened or shortened: by how many frames of the cut. */
  frames: z.int().nonnegative().optional(),
  /** Whether the new source range still lies within the frames already turned over with handles. */
  withinHandles: z.boolean().optional(),
  /** How far the shot moved in the cut (record side) and slipped in its source, in frames. */
  recordDelta: z.int().optional(),
  sourceDelta: z.int().optional(),
  /** The cut's length of the shot, in frames, and its frame range with handles. */
  duration: z.int().nonnegative().optional(),
  frameRange: z.strictObject({ start: z.int(), end: z.int() }).optional(),
  sourceIn: z.string().optional(),
  sourceOut: z.string().optional(),
  shotId: z.string().optional(),
  state: ShotState.optional(),
  action: TurnoverAction,
  /** Why: the problem with an invalid clip, or what the TD must decide. */
  message: z.string().optional(),
});
export type TurnoverEntry = z.infer<typeof TurnoverEntry>;

/** What one turnover import found and did; also the data of its `turnover.imported` event. */
export const TurnoverReport = z.strictObject({
  turnoverId: z.string(),
  show: z.string(),
  /** The file's name as given, and the timeline's name inside it. */
  file: z.string(),
  cut: z.string(),
  format: z.enum(['cmx_3600', 'fcp_xml', 'otio_json']),
  rate: z.number().positive(),
  dropFrame: z.boolean(),
  handles: z.int().nonnegative(),
  by: z.string(),
  dryRun: z.boolean(),
  partial: z.boolean(),
  /** False when the turnover was invalid and not `partial`: then nothing was written. */
  applied: z.boolean(),
  entries: z.array(TurnoverEntry),
  at: z.iso.datetime({ offset: true }),
});
export type TurnoverReport = z.infer<typeof TurnoverReport>;
