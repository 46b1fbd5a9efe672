import { type EditorialRef, frameCount, type ShotRequest, type TurnoverChange } from '@shotcaller/contracts';
import type { TurnoverShot } from './select-shots';

/** What a comparison needs of a shot Shotcaller has. */
export interface ExistingShot {
  id: string;
  state: import('@shotcaller/contracts').ShotState;
  request: ShotRequest;
}

export interface Comparison {
  change: Exclude<TurnoverChange, 'invalid' | 'omitted'>;
  frames?: number;
  withinHandles?: boolean;
  recordDelta?: number;
  sourceDelta?: number;
}

/**
 * How a shot of the new cut differs from the same shot as last turned over. Length wins over place:
 * a shot that grew and moved is `lengthened` (with its deltas). A shot of the same length is `moved`
 * when its place in the cut's order changed (`reordered`, see cut-order.ts) or its source slipped.
 * `withinHandles` says whether the new source frames all lie in what was turned over with handles,
 * i.e. whether work already done still covers the cut.
 */
export function compareShot(
  next: TurnoverShot,
  before: ExistingShot,
  handles: number,
  reordered = false,
): Comparison {
  const old = before.request.editorial;
  if (!old) return compareByLength(next, before.request, handles);
  const oldDuration = old.sourceOut - old.sourceIn;
  const head = old.sourceIn - next.sourceIn;
  const tail = next.sourceIn + next.duration - old.sourceOut;
  const withinHandles = head <= old.handles && tail <= old.handles;
  const recordDelta = next.recordIn - old.recordIn;
  const sourceDelta = next.sourceIn - old.sourceIn;
  const deltas = {
    ...(recordDelta !== 0 ? { recordDelta } : {}),
    ...(sourceDelta !== 0 ? { sourceDelta } : {}),
  };
  if (next.duration !== oldDuration)
    return {
      change: next.duration > oldDuration ? 'lengthened' : 'shortened',
      frames: Math.abs(next.duration - oldDuration),
      withinHandles,
      ...deltas,
    };
  if (reordered || sourceDelta !== 0) return { change: 'moved', withinHandles, ...deltas };
  return { change: 'unchanged' };
}

/** A shot that did not come from a cut (a JSON or CSV submit, its range with the show's handles): only its length can be compared. */
function compareByLength(next: TurnoverShot, request: ShotRequest, handles: number): Comparison {
  const had = frameCount(request.frames) - 2 * handles;
  const wanted = next.duration;
  if (had === wanted) return { change: 'unchanged' };
  return { change: wanted > had ? 'lengthened' : 'shortened', frames: Math.abs(wanted - had) };
}

/** The shot's place in the cut, as its request will keep it. */
export function editorialOf(
  shot: TurnoverShot,
  cut: { rate: number; dropFrame: boolean; handles: number },
): EditorialRef {
  return {
    clip: shot.clip,
    event: shot.event,
    track: shot.track,
    rate: cut.rate,
    dropFrame: cut.dropFrame,
    handles: cut.handles,
    sourceIn: shot.sourceIn,
    sourceOut: shot.sourceIn + shot.duration,
    recordIn: shot.recordIn,
    recordOut: shot.recordIn + shot.duration,
    timecodes: shot.timecodes,
  };
}
