import { z } from 'zod';

const code = (what: string) =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
      `a ${what} code is 1–64 letters, digits, "_", "." or "-", starting with a letter or digit`,
    );

export const ShowCode = code('show');
export const EpisodeCode = code('episode');
export const SequenceCode = code('sequence');
export const ShotCode = code('shot');

/** Inclusive frame range, as editorial counts it (1001–1096 is 96 frames). */
export const FrameRange = z
  .strictObject({
    start: z.int().nonnegative('must not be negative'),
    end: z.int().nonnegative('must not be negative'),
  })
  .refine((r) => r.end >= r.start, { error: 'end must not be before start', path: ['end'] })
  .refine((r) => r.end - r.start < 100_000, { error: 'a shot is at most 100,000 frames', path: ['end'] });
export type FrameRange = z.infer<typeof FrameRange>;

export function frameCount(r: FrameRange): number {
  return r.end - r.start + 1;
}

export const Resolution = z.strictObject({
  width: z.int().min(16, 'must be at least 16 pixels').max(16_384, 'must be at most 16384 pixels'),
  height: z.int().min(16, 'must be at least 16 pixels').max(16_384, 'must be at most 16384 pixels'),
});
export type Resolution = z.infer<typeof Resolution>;

export const ShotCategory = z.enum([
  'environment',
  'destruction',
  'fx-sim',
  'crowd',
  'creature',
  'digi-double',
  'face-likeness',
  'cleanup-paint',
  'matte-painting',
  'set-extension',
  'roto',
  'compositing',
  'title-graphics',
]);
export type ShotCategory = z.infer<typeof ShotCategory>;

export const Complexity = z.enum(['simple', 'standard', 'complex', 'hero']);
export type Complexity = z.infer<typeof Complexity>;

export const UnionMembership = z.enum(['sag-aftra', 'equity', 'actra', 'other-union', 'none']);

/** How the shot treats a performer's likeness or performance. */
export const LikenessUse = z.enum([
  'none', // filmed as is
  'altered', // digital alteration of the recorded performance beyond ordinary post
  'generated', // a digital replica generated for this shot
]);

export const Performer = z.strictObject({
  id: z.string().min(1).max(128),
  name: z.string().min(1).max(200),
  union: UnionMembership.default('none'),
  role: z.enum(['lead', 'supporting', 'day-player', 'stunt', 'background']).default('supporting'),
  /** `synthetic`: a digitally created human-like performer not recognisable as any real person. */
  kind: z.enum(['human', 'synthetic']).default('human'),
  likeness: LikenessUse.default('none'),
  deceased: z.boolean().default(false),
});
export type Performer = z.infer<typeof Performer>;

export const DeliverableKind = z.enum(['previs', 'temp', 'final']);
export type DeliverableKind = z.infer<typeof DeliverableKind>;

/** ISO 3166-1 alpha-2 (`FR`), a subdivision (`US-CA`), `EU` or `WW` (worldwide). */
export const Territory = z
  .string()
  .regex(/^(WW|EU|[A-Z]{2}(-[A-Z0-9]{1,3})?)$/, 'must be an ISO 3166 code such as FR or US-CA, or EU, or WW');
export type Territory = z.infer<typeof Territory>;

export const RequestedRoute = z.enum(['auto', 'genai', 'vendor']);
export const Priority = z.enum(['low', 'normal', 'high', 'urgent']);
export type Priority = z.infer<typeof Priority>;

export const ReferenceAsset = z.strictObject({
  uri: z.string().min(1).max(2048),
  kind: z.enum(['plate', 'concept', 'reference', 'lidar', 'hdri', 'script', 'other']).default('reference'),
  rights: z.enum(['owned', 'licensed', 'third-party', 'unknown']).default('owned'),
});

/** Where a shot came from when a production tracker sent it. */
export const TrackerRef = z.strictObject({
  tracker: z.enum(['kitsu', 'shotgrid']),
  shotId: z.string().min(1),
  taskId: z.string().min(1).optional(),
});

/**
 * Where a shot sits in the editor's cut, as the turnover that made it said: frame numbers at the cut's
 * rate (outs exclusive, as an EDL writes them), the timecodes OpenTimelineIO printed for them, and the
 * handles the shot's frame range adds on each side. Re-turnovers are compared against it.
 */
export const EditorialRef = z.strictObject({
  clip: z.string().min(1).max(200),
  /** The event number (the clip's place on its track, from 1). */
  event: z.int().positive(),
  track: z.string().max(200),
  rate: z.number().positive().max(240),
  dropFrame: z.boolean(),
  handles: z.int().nonnegative().max(1000),
  sourceIn: z.int(),
  sourceOut: z.int(),
  recordIn: z.int(),
  recordOut: z.int(),
  timecodes: z.strictObject({
    sourceIn: z.string(),
    sourceOut: z.string(),
    recordIn: z.string(),
    recordOut: z.string(),
  }),
});
export type EditorialRef = z.infer<typeof EditorialRef>;

/** What a pipeline TD submits: one shot and everything routing, budget and compliance need to know. */
export const ShotRequest = z.strictObject({
  show: ShowCode,
  episode: EpisodeCode.optional(),
  sequence: SequenceCode,
  shot: ShotCode,
  frames: FrameRange,
  fps: z.number().positive('must be positive').max(240, 'must be at most 240').default(24),
  resolution: Resolution,
  brief: z.string().trim().min(1, 'must describe the shot').max(10_000),
  /** Whether the brief or script pages given for the shot were written with AI (WGA disclosure). */
  briefProvenance: z.enum(['human', 'ai-assisted', 'ai-generated']).default('human'),
  category: ShotCategory,
  complexity: Complexity.default('standard'),
  performers: z.array(Performer).max(500).default([]),
  deliverable: DeliverableKind,
  territories: z.array(Territory).min(1, 'must name at least one release territory').max(300),
  deadline: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' }),
  budgetLine: z.string().min(1).max(128),
  requestedRoute: RequestedRoute.default('auto'),
  priority: Priority.default('normal'),
  referenceAssets: z.array(ReferenceAsset).max(200).default([]),
  idempotencyKey: z.string().min(1).max(200),
  source: TrackerRef.optional(),
  /** Set when the shot came from an editorial turnover (docs/turnovers.md). */
  editorial: EditorialRef.optional(),
});
export type ShotRequest = z.infer<typeof ShotRequest>;
/** A shot request as written by a person, before defaults are filled in. */
export type ShotRequestInput = z.input<typeof ShotRequest>;

/** The shot as people name it, `show/episode/sequence/shot` (`NTH/EP01/COL/COL_0070`); the episode only when it has one. */
export function shotCodeOf(request: Pick<ShotRequest, 'show' | 'episode' | 'sequence' | 'shot'>): string {
  return [request.show, request.episode, request.sequence, request.shot].filter(Boolean).join('/');
}

/**
 * For each request that repeats the shot code of an earlier one, the index of the earlier one. A list
 * that names one shot twice has a mistake in it: only one of the two can be the live shot. The same
 * submission twice (same key, same content) is no mistake: idempotency makes it one shot.
 */
export function repeatedShotCodes(requests: ReadonlyArray<ShotRequest | undefined>): Map<number, number> {
  const first = new Map<string, { index: number; json: string }>();
  const repeats = new Map<number, number>();
  requests.forEach((request, index) => {
    if (!request) return;
    const code = shotCodeOf(request);
    const json = JSON.stringify(request);
    const seen = first.get(code);
    if (!seen) first.set(code, { index, json });
    else if (seen.json !== json) repeats.set(index, seen.index);
  });
  return repeats;
}

/**
 * Performers written on one line, as shot lists and trackers carry them:
 * `id|name|union|role|likeness; …` (only the id is required). Values are checked by `Performer` later.
 */
export function parsePerformerList(text: string): Array<Record<string, string>> {
  return text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((p) => {
      const [id = '', name, union, role, likeness] = p.split('|').map((s) => s.trim());
      return {
        id,
        name: name || id,
        ...(union ? { union } : {}),
        ...(role ? { role } : {}),
        ...(likeness ? { likeness } : {}),
      };
    });
}
