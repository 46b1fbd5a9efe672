import { type FieldIssue, parsePerformerList, ShotRequest } from '@shotcaller/contracts';
import { z } from 'zod';
import type { ZouProject, ZouShot } from './zou-schemas';

/**
 * How Kitsu's data becomes a shot request. Kitsu keeps frame range and custom fields in a shot's
 * `data` (its metadata descriptors); which field holds what, and the defaults Kitsu has no field for,
 * are the production's to say (see docs/kitsu.md).
 */
export const KitsuMapping = z.strictObject({
  /** The show code; the Kitsu project's `code` when absent. */
  show: z.string().optional(),
  budgetLine: z.string().min(1),
  territories: z.array(z.string()).min(1).default(['WW']),
  /** When the work is due; the project's end date when absent. */
  deadline: z.string().optional(),
  defaults: z
    .strictObject({ deliverable: z.string().default('temp'), complexity: z.string().default('standard') })
    .prefault({}),
  fields: z
    .strictObject({
      frameIn: z.string().default('frame_in'),
      frameOut: z.string().default('frame_out'),
      fps: z.string().default('fps'),
      resolution: z.string().default('resolution'),
      category: z.string().default('category'),
      deliverable: z.string().default('deliverable'),
      complexity: z.string().default('complexity'),
      /** `id|name|union|role|likeness; …`, the same as a CSV shot list. */
      performers: z.string().default('performers'),
      route: z.string().default('route'),
    })
    .prefault({}),
  /** Kitsu values to Shotcaller categories, e.g. `{ FX: fx-sim, Paint: cleanup-paint }`. */
  categories: z.record(z.string(), z.string()).default({}),
});
export type KitsuMapping = z.infer<typeof KitsuMapping>;
export type KitsuMappingInput = z.input<typeof KitsuMapping>;

export interface KitsuShotContext {
  project: ZouProject & { code?: string | null };
  episode?: string;
  sequence: string;
  shot: ZouShot;
  taskId: string;
}

export type MappedShot = { ok: true; request: ShotRequest } | { ok: false; issues: FieldIssue[] };

const int = (v: unknown) =>
  typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : undefined;

/** One Kitsu shot as a shot request, or every reason it cannot be one. Idempotent on the Kitsu shot id. */
export function mapKitsuShot(ctx: KitsuShotContext, mapping: KitsuMapping): MappedShot {
  const data = ctx.shot.data ?? {};
  const f = mapping.fields;
  const issues: FieldIssue[] = [];
  const frameIn = int(data[f.frameIn]);
  const frameOut = int(data[f.frameOut]);
  let frames: { start: number; end: number } | undefined;
  if (frameIn !== undefined && frameOut !== undefined) frames = { start: frameIn, end: frameOut };
  else if (ctx.shot.nb_frames) frames = { start: 1001, end: 1000 + ctx.shot.nb_frames };
  else
    issues.push({
      path: `data.${f.frameIn}`,
      message: `no frame range: set ${f.frameIn}/${f.frameOut} (or the frame count) on the shot in Kitsu`,
    });
  const resolutionText = String(data[f.resolution] ?? ctx.project.resolution ?? '');
  const res = /^(\d+)x(\d+)$/.exec(resolutionText);
  if (!res)
    issues.push({
      path: `data.${f.resolution}`,
      message: `no resolution (WIDTHxHEIGHT) on the shot or project, got "${resolutionText}"`,
    });
  const rawCategory = data[f.category];
  if (rawCategory === undefined || rawCategory === '')
    issues.push({ path: `data.${f.category}`, message: 'no category: set the shot’s category in Kitsu' });
  const category =
    rawCategory === undefined ? undefined : (mapping.categories[String(rawCategory)] ?? String(rawCategory));
  const performers = parsePerformerList(String(data[f.performers] ?? ''));
  const deadline =
    mapping.deadline ?? (ctx.project.end_date ? `${ctx.project.end_date.slice(0, 10)}T18:00:00Z` : undefined);
  if (!deadline)
    issues.push({
      path: 'deadline',
      message: 'no deadline: set the project’s end date in Kitsu or mapping.deadline',
    });
  const fps = Number(data[f.fps] ?? ctx.project.fps ?? 24);
  const candidate = {
    show: mapping.show ?? ctx.project.code ?? ctx.project.name,
    ...(ctx.episode ? { episode: ctx.episode } : {}),
    sequence: ctx.sequence,
    shot: ctx.shot.name,
    ...(frames ? { frames } : {}),
    fps: Number.isFinite(fps) ? fps : 24,
    ...(res ? { resolution: { width: Number(res[1]), height: Number(res[2]) } } : {}),
    brief: ctx.shot.description?.trim() || `${ctx.sequence} ${ctx.shot.name}`,
    ...(category ? { category } : {}),
    complexity: String(data[f.complexity] ?? mapping.defaults.complexity),
    performers,
    deliverable: String(data[f.deliverable] ?? mapping.defaults.deliverable),
    territories: mapping.territories,
    ...(deadline ? { deadline } : {}),
    budgetLine: mapping.budgetLine,
    requestedRoute: String(data[f.route] ?? 'auto'),
    idempotencyKey: `kitsu-${ctx.shot.id}`,
    source: { tracker: 'kitsu', shotId: ctx.shot.id, taskId: ctx.taskId },
  };
  const parsed = ShotRequest.safeParse(candidate);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const path = i.path.join('.');
      // Say which Kitsu field a bad value came from.
      const from =
        path === 'category'
          ? ` (Kitsu data.${f.category} = "${String(rawCategory)}")`
          : path === 'deliverable'
            ? ` (Kitsu data.${f.deliverable})`
            : '';
      if (!issues.some((x) => x.path.endsWith(path))) issues.push({ path, message: `${i.message}${from}` });
    }
  }
  return issues.length === 0 && parsed.success ? { ok: true, request: parsed.data } : { ok: false, issues };
}
