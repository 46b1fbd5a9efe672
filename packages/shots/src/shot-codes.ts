import { ShotcallerError, type ShotState, shotCodeOf } from '@shotcaller/contracts';
import type { RedisClient } from '@shotcaller/events';
import { codeIndexComplete, type ShotKeys } from './keys';
import { revisableStates } from './lifecycle';
import type { ShotRecord } from './shot-record';

/**
 * Another live shot has this shot code. A studio expects one shot per code: a second one would be the
 * same work bought twice and a second card on the board. Says what to do with the live shot instead.
 */
export class ShotCodeTaken extends ShotcallerError {
  readonly code = 'shot_code_taken';
  /** Where the live shot is, in the API. */
  readonly href: string;
  constructor(
    readonly shotCode: string,
    readonly shotId: string,
    readonly state: ShotState,
  ) {
    const href = `/v1/shots/${shotId}`;
    super(
      `Shot code ${shotCode} is taken by shot ${shotId} (${state}, ${href}): ${whatToDoInstead(shotCode, href, state)}`,
    );
    this.href = href;
  }
}

function whatToDoInstead(shotCode: string, href: string, state: ShotState): string {
  if (revisableStates.includes(state))
    return `change that shot instead (POST ${href}/revise with this request), or cancel it (POST ${href}/cancel) and submit again`;
  // Approved is final and cannot be cancelled, yet it still holds its code: the shot of record.
  if (state === 'approved')
    return `its work is approved and final, so a redo is a new shot: submit it under a new shot code (say ${shotCode.split('/').at(-1)}_v2)`;
  return `its work has started, so its request can no longer change: cancel it (POST ${href}/cancel) and submit again if this request replaces it`;
}

/** A code that several live shots had before the code index existed; the first submitted holds it. */
export interface SharedCode {
  code: string;
  /** Oldest first: the first holds the code. */
  shotIds: string[];
}

const page = 500;

/**
 * Indexes the codes of a show's shots, once: shots made before the code index existed count like any
 * other. Until it is done, a submission (or a rename) in the show is refused by its script and comes
 * here first, so no write can slip past a code the index does not know yet. Returns undefined when the
 * index was complete already, else the codes that several live shots share (to be cancelled by hand).
 */
export async function indexShotCodes(
  redis: RedisClient,
  keys: ShotKeys,
  show: string,
  getMany: (ids: readonly string[]) => Promise<ShotRecord[]>,
): Promise<{ indexed: number; shared: SharedCode[] } | undefined> {
  const codes = keys.codes(show);
  if ((await redis.hexists(codes, codeIndexComplete)) === 1) return undefined;
  // Oldest first (scored by creation time), and no shot is added meanwhile: the index is not complete.
  const ids = await redis.zrange(keys.byShow(show), 0, -1);
  const holders = new Map<string, string[]>();
  let indexed = 0;
  for (let start = 0; start === 0 || start < ids.length; start += page) {
    const last = start + page >= ids.length;
    const live = (await getMany(ids.slice(start, start + page))).filter((s) => s.state !== 'cancelled');
    for (const shot of live) {
      const code = shotCodeOf(shot.request);
      holders.set(code, [...(holders.get(code) ?? []), shot.id]);
    }
    const added = await redis.scIndexShotCodes(
      1 + live.length,
      codes,
      ...live.map((s) => keys.shot(s.id)),
      last ? '1' : '0',
      ...live.flatMap((s) => [s.id, shotCodeOf(s.request)]),
    );
    if (added === -1) return undefined;
    indexed += added;
  }
  const shared = [...holders]
    .filter(([, shotIds]) => shotIds.length > 1)
    .map(([code, shotIds]) => ({ code, shotIds }));
  return { indexed, shared };
}
