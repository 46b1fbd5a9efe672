import { z } from 'zod';
import { Route } from './routing-decision';

/** Where a shot's work ended up as of the end of the period. */
export const LabourSide = z.enum(['ai', 'vendor', 'held']);
export type LabourSide = z.infer<typeof LabourSide>;

/** Why a shot went back from AI to a vendor: the reroute's cause, or `held` when compliance had it held. */
export const ReturnCause = z.enum([
  'review-rejected',
  'genai-failed',
  'override',
  'consent-revoked',
  'held',
  'vendor-cancelled',
]);

/** One route's estimate as recorded at routing, with its labour part when the decision carried one. */
export const RecordedEstimate = z.object({
  route: Route,
  /** Minor units, as recorded; never recomputed. */
  cost: z.int(),
  turnaroundHours: z.number(),
  basis: z.string(),
  artistCost: z.int().nullable(),
  artistDays: z.number().nullable(),
  labourBasis: z.string().nullable(),
});
export type RecordedEstimate = z.infer<typeof RecordedEstimate>;

export const LabourShot = z.object({
  shotId: z.string(),
  show: z.string(),
  shot: z.string(),
  episode: z.string().optional(),
  sequence: z.string(),
  category: z.string(),
  complexity: z.string(),
  frames: z.int(),
  side: LabourSide,
  /** When the routing (or reroute) that put the shot on its side happened; what the period and weeks go by. */
  decidedAt: z.string(),
  /** ISO 8601 week of `decidedAt` (UTC), e.g. `2026-W48`. */
  week: z.string(),
  /** The routing the figures come from; null for a held shot the log has no routing for. */
  genai: RecordedEstimate.nullable(),
  vendor: RecordedEstimate.nullable(),
  /** The estimates' currency (one rate card file, one currency); null without a recorded routing. */
  currency: z.string().nullable(),
  /** The shot was at a vendor before it was routed to AI (IATSE 2024: AI must not displace covered work unnoticed). */
  previouslyAtVendor: z.boolean(),
  /** Artist hours recorded as actually spent on the AI work; null while none is recorded. */
  actualArtistHours: z.number().nullable(),
  returned: z.object({ at: z.string(), cause: ReturnCause, reason: z.string() }).nullable(),
});
export type LabourShot = z.infer<typeof LabourShot>;

/** The sums for one group of shots. Money in minor units; artist-days to hundredths, as recorded. */
export const LabourFigures = z.object({
  key: z.string(),
  aiShots: z.int(),
  aiFrames: z.int(),
  /** What the vendor route's recorded estimate was for the shots that went to AI: work vendors did not get. */
  vendorWouldBeCost: z.int(),
  /** The artist-days inside that estimate: vendor artist-days not contracted. */
  vendorArtistDaysNotContracted: z.number(),
  /** Median and longest vendor turnaround (days) the estimates gave for those shots. */
  vendorTurnaroundDaysMedian: z.number().nullable(),
  vendorTurnaroundDaysMax: z.number().nullable(),
  /** The genai estimate of those shots, and its human part (artist time still spent on AI shots). */
  genaiEstimateCost: z.int(),
  genaiArtistCost: z.int(),
  genaiArtistDays: z.number(),
  /** Artist hours recorded as actually spent, and on how many of the AI shots any was recorded. */
  actualArtistHours: z.number(),
  aiShotsWithActual: z.int(),
  /** AI shots whose routing recorded no labour figures (decided before they were recorded, or no day rate). */
  aiShotsWithoutLabourBasis: z.int(),
  aiShotsPreviouslyAtVendor: z.int(),
  vendorShots: z.int(),
  vendorEstimateCost: z.int(),
  vendorArtistDays: z.number(),
  /** Shots that went to AI and came back to a vendor: counted once, among `vendorShots`. */
  returnedShots: z.int(),
  heldShots: z.int(),
});
export type LabourFigures = z.infer<typeof LabourFigures>;

export const LabourScope = z.object({
  show: z.string(),
  episode: z.string().optional(),
  sequence: z.string().optional(),
  /** Inclusive start and exclusive end of the period (ISO 8601); open when absent. */
  from: z.string().optional(),
  to: z.string().optional(),
});
export type LabourScope = z.infer<typeof LabourScope>;

export const LabourImpactReport = z.object({
  scope: LabourScope,
  currency: z.string(),
  /** The last event the report was folded from; null when the show has none. */
  upTo: z.string().nullable(),
  totals: LabourFigures,
  byEpisode: z.array(LabourFigures),
  bySequence: z.array(LabourFigures),
  byCategory: z.array(LabourFigures),
  byComplexity: z.array(LabourFigures),
  byWeek: z.array(LabourFigures),
  shots: z.array(LabourShot),
  /** Cancelled shots and shots not yet routed in the period, left out of every figure. */
  leftOut: z.object({ cancelled: z.int(), notYetRouted: z.int() }),
  /** What each kind of figure is based on and how precise it is, for the people who read it. */
  bases: z.array(z.object({ figure: z.string(), basis: z.string() })),
});
export type LabourImpactReport = z.infer<typeof LabourImpactReport>;
