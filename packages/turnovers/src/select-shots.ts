import type { TurnoverEntry } from '@shotcaller/contracts';
import type { CutClip, CutDocument } from './cut-document';
import { NoSuchTrack } from './errors';
import { namePattern, sameRate, type TurnoverMapping } from './mapping';

/** A VFX shot as the cut has it. Frames are at the show's rate; outs are exclusive. */
export interface TurnoverShot {
  episode?: string;
  sequence: string;
  shot: string;
  clip: string;
  event: number;
  track: string;
  sourceIn: number;
  duration: number;
  recordIn: number;
  timecodes: CutClip['timecodes'];
  notes: string[];
}

export interface Selection {
  shots: TurnoverShot[];
  /** Clips that are VFX shots but cannot become one, each with the reason. */
  invalid: TurnoverEntry[];
}

const label = (clip: CutClip) => `event ${clip.event} (clip "${clip.name}")`;
const lower = (s: string) => s.toLowerCase();

function isSelected(clip: CutClip, mapping: TurnoverMapping): boolean {
  const { markerColor, comment } = mapping.select;
  if (markerColor && !clip.markers.some((m) => lower(m.color) === lower(markerColor))) return false;
  if (comment && !clip.comments.some((c) => lower(c).startsWith(lower(comment)))) return false;
  return true;
}

/** The notes that become the brief: prefixed EDL comments and marker names, each once. */
function notesOf(clip: CutClip, mapping: TurnoverMapping): string[] {
  const out: string[] = [];
  const { commentPrefix, markers } = mapping.notes;
  if (commentPrefix !== false)
    for (const c of clip.comments)
      if (lower(c).startsWith(lower(commentPrefix))) out.push(c.slice(commentPrefix.length).trim());
  if (markers) for (const m of clip.markers) out.push(...[m.name, m.comment].map((s) => s.trim()));
  const seen = new Set<string>();
  // An EDL writes a marker both as `* LOC:` and often as a comment too; case differs by tool.
  return out.filter((n) => n !== '' && !seen.has(lower(n)) && seen.add(lower(n)));
}

const codeOf = (s: Pick<TurnoverShot, 'episode' | 'sequence' | 'shot'>) =>
  `${s.episode ?? ''}/${s.sequence}/${s.shot}`;

/**
 * Picks the cut's VFX shots by the mapping and reads each one's code from its clip name. A clip that
 * is selected but cannot be a shot (its name does not fit, its rate is not the show's, or another clip
 * claims the same shot) is reported with its event number and clip name, and does not become a shot.
 */
export function selectShots(cut: CutDocument, mapping: TurnoverMapping): Selection {
  const tracks = mapping.select.track
    ? cut.tracks.filter((t) => t.name === mapping.select.track)
    : cut.tracks;
  if (tracks.length === 0)
    throw new NoSuchTrack(
      mapping.select.track ?? '',
      cut.tracks.map((t) => t.name),
    );
  const explicit = Boolean(mapping.select.markerColor || mapping.select.comment);
  const pattern = namePattern(mapping.pattern);
  const shots: TurnoverShot[] = [];
  const invalid: TurnoverEntry[] = [];
  const bad = (clip: CutClip, message: string, code: { sequence?: string; shot?: string } = {}) =>
    invalid.push({
      sequence: code.sequence ?? '',
      shot: code.shot ?? '',
      clip: clip.name,
      event: clip.event,
      change: 'invalid',
      action: 'none',
      message,
    });
  for (const track of tracks) {
    for (const clip of track.clips) {
      if (!isSelected(clip, mapping)) continue;
      const match = pattern.exec(clip.name);
      if (!match?.groups) {
        // Without an explicit marker the pattern is what selects, so a clip that does not fit is a plate.
        if (explicit)
          bad(clip, `${label(clip)} is marked as VFX but its name does not match ${mapping.pattern}`);
        continue;
      }
      const { sequence = '', shot = '' } = match.groups;
      const episode = match.groups.episode ?? mapping.episode;
      if (!sameRate(clip.rate, mapping.rate)) {
        bad(
          clip,
          `${label(clip)} runs at ${+clip.rate.toFixed(3)} fps but the show runs at ${mapping.rate} fps`,
          { sequence, shot },
        );
        continue;
      }
      shots.push({
        ...(episode ? { episode } : {}),
        sequence,
        shot,
        clip: clip.name,
        event: clip.event,
        track: track.name,
        sourceIn: clip.sourceIn,
        duration: clip.duration,
        recordIn: clip.recordIn,
        timecodes: clip.timecodes,
        notes: notesOf(clip, mapping),
      });
    }
  }
  return rejectDuplicates(shots, invalid);
}

/** A shot code claimed by two clips is ambiguous: both are reported, neither becomes the shot. */
function rejectDuplicates(shots: TurnoverShot[], invalid: TurnoverEntry[]): Selection {
  const byCode = new Map<string, TurnoverShot[]>();
  for (const s of shots) byCode.set(codeOf(s), [...(byCode.get(codeOf(s)) ?? []), s]);
  const kept: TurnoverShot[] = [];
  for (const s of shots) {
    const same = byCode.get(codeOf(s)) ?? [];
    if (same.length === 1) {
      kept.push(s);
      continue;
    }
    const others = same.filter((o) => o !== s);
    const overlapping = others.filter(
      (o) => o.recordIn < s.recordIn + s.duration && s.recordIn < o.recordIn + o.duration,
    );
    const events = others.map((o) => o.event).join(', ');
    invalid.push({
      sequence: s.sequence,
      shot: s.shot,
      ...(s.episode ? { episode: s.episode } : {}),
      clip: s.clip,
      event: s.event,
      change: 'invalid',
      action: 'none',
      message:
        overlapping.length > 0
          ? `event ${s.event} (clip "${s.clip}", ${s.timecodes.recordIn}–${s.timecodes.recordOut}) overlaps event ${overlapping.map((o) => o.event).join(', ')} with the same shot code`
          : `event ${s.event} (clip "${s.clip}") is the same shot as event ${events}; a shot appears once in a turnover`,
    });
  }
  invalid.sort((a, b) => (a.event ?? 0) - (b.event ?? 0));
  return { shots: kept, invalid };
}
