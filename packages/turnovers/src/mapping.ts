import { RequestedRoute, Resolution, ShotCategory, ShowCode, Territory } from '@shotcaller/contracts';
import { z } from 'zod';

/** The frame rates editorial works at; a cut at any other is refused rather than guessed at. */
export const supportedRates = [23.976, 24, 25, 29.97] as const;

const Rate = z.number().refine((r) => supportedRates.some((s) => Math.abs(s - r) < 0.01), {
  error: `must be one of ${supportedRates.join(', ')}`,
});

/** Kitsu's default too: the sequence, an underscore, the shot (`COL_0010`). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the pattern's own placeholder syntax, not a JS template
const defaultPattern = '${sequence}_${shot}';

/**
 * How a turnover's clips become shots, like Kitsu's EDL import: which clips are VFX shots, how their
 * names read, the handles, the show's frame rate, and the request fields a cut cannot carry.
 * Every default is named in docs/turnovers.md.
 */
export const TurnoverMapping = z
  .strictObject({
    show: ShowCode,
    /** The episode every shot of this cut belongs to, when the name pattern does not carry one. */
    episode: z.string().min(1).optional(),
    /** How a VFX clip is named: `${episode}`, `${sequence}` and `${shot}` are read from the name. */
    pattern: z
      .string()
      .default(defaultPattern)
      .refine((p) => /\$\{sequence\}/.test(p) && /\$\{shot\}/.test(p), {
        error: 'must contain the placeholders for sequence and shot',
      }),
    /** Which clips are VFX shots. With none of these, every clip whose name fits the pattern is one. */
    select: z
      .strictObject({
        track: z.string().min(1).optional(),
        markerColor: z.string().min(1).optional(),
        /** An EDL comment that marks the event, e.g. `VFX:` for `* VFX: …`. */
        comment: z.string().min(1).optional(),
      })
      .prefault({}),
    handles: z.int().nonnegative().max(1000).default(8),
    /** The first frame of a shot's range (its head handle starts here). */
    firstFrame: z.int().nonnegative().default(1001),
    /** The show's frame rate; an EDL (which has none) is read at it. */
    rate: Rate.default(24),
    dropFrame: z.boolean().default(false),
    /** Which notes become the brief: EDL comments starting with a prefix, and markers. */
    notes: z
      .strictObject({
        commentPrefix: z.union([z.string().min(1), z.literal(false)]).default('VFX:'),
        markers: z.boolean().default(true),
      })
      .prefault({}),
    budgetLine: z.string().min(1),
    territories: z.array(Territory).min(1).default(['WW']),
    deadline: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' }),
    category: ShotCategory.default('compositing'),
    deliverable: z.enum(['previs', 'temp', 'final']).default('final'),
    complexity: z.enum(['simple', 'standard', 'complex', 'hero']).default('standard'),
    resolution: Resolution.default({ width: 2048, height: 858 }),
    /** Where new shots ask to go: `auto` lets the routing policy decide. */
    requestedRoute: RequestedRoute.default('auto'),
  })
  .refine((m) => !m.dropFrame || Math.abs(m.rate - 29.97) < 0.01, {
    error: 'drop-frame timecode exists only at 29.97',
    path: ['dropFrame'],
  });
export type TurnoverMapping = z.infer<typeof TurnoverMapping>;
export type TurnoverMappingInput = z.input<typeof TurnoverMapping>;

/** Whether two frame rates are the same rate (23.976 and 24000/1001 are). */
export function sameRate(a: number, b: number): boolean {
  return Math.abs(a - b) < 0.01;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The name pattern as a regular expression with a named group per field. */
export function namePattern(pattern: string): RegExp {
  const parts = pattern.split(/(\$\{(?:episode|sequence|shot)\})/);
  const source = parts
    .map((part) => {
      const field = /^\$\{(episode|sequence|shot)\}$/.exec(part)?.[1];
      return field ? `(?<${field}>[A-Za-z0-9]+)` : escapeRegExp(part);
    })
    .join('');
  return new RegExp(`^${source}$`);
}
