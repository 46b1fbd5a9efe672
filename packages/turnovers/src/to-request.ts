import type { ShotRequest } from '@shotcaller/contracts';
import { editorialOf } from './compare';
import type { TurnoverMapping } from './mapping';
import type { TurnoverShot } from './select-shots';

/** The shot's frame range: the cut's frames with the handles on each side, from `firstFrame`. */
export function frameRangeOf(shot: TurnoverShot, mapping: TurnoverMapping): { start: number; end: number } {
  return { start: mapping.firstFrame, end: mapping.firstFrame + shot.duration + 2 * mapping.handles - 1 };
}

/** One idempotency key per shot of a show, so importing the same cut twice makes each shot once. */
export function turnoverKey(mapping: TurnoverMapping, shot: TurnoverShot): string {
  return `turnover:${mapping.show}:${shot.episode ?? ''}:${shot.sequence}:${shot.shot}`;
}

/** A new shot's request, from the cut and the mapping's defaults for what a cut cannot say. */
export function newRequest(shot: TurnoverShot, mapping: TurnoverMapping): ShotRequest {
  return {
    show: mapping.show,
    ...(shot.episode ? { episode: shot.episode } : {}),
    sequence: shot.sequence,
    shot: shot.shot,
    frames: frameRangeOf(shot, mapping),
    fps: mapping.rate,
    resolution: mapping.resolution,
    brief: shot.notes.length > 0 ? shot.notes.join('; ') : `${shot.clip} (turnover event ${shot.event})`,
    briefProvenance: 'human',
    category: mapping.category,
    complexity: mapping.complexity,
    performers: [],
    deliverable: mapping.deliverable,
    territories: mapping.territories,
    deadline: mapping.deadline,
    budgetLine: mapping.budgetLine,
    requestedRoute: mapping.requestedRoute,
    priority: 'normal',
    referenceAssets: [],
    idempotencyKey: turnoverKey(mapping, shot),
    editorial: editorialOf(shot, mapping),
  };
}

/**
 * A shot's request after a re-cut: the new frames and place in the cut; everything a TD may have set
 * since (brief, category, performers…) is kept.
 */
export function revisedRequest(
  before: ShotRequest,
  shot: TurnoverShot,
  mapping: TurnoverMapping,
): ShotRequest {
  return { ...before, frames: frameRangeOf(shot, mapping), editorial: editorialOf(shot, mapping) };
}
