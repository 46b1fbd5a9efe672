import { compareStreamIds, nextStreamId } from './stream-id';

export interface GroupPosition {
  name: string;
  /** The last entry the group has had delivered (`0-0` when none). */
  lastDeliveredId: string;
  /** The oldest entry delivered but not yet acknowledged, if any. */
  oldestPendingId?: string;
}

/**
 * The exclusive upper bound below which every entry is acknowledged by every group and older than the
 * retention cut-off: entries with smaller ids may be trimmed. Undefined means trim nothing. With no
 * group at all nothing is trimmed, since nobody has consumed anything yet.
 */
export function safeTrimBound(groups: GroupPosition[], cutoffId?: string): string | undefined {
  if (groups.length === 0) return undefined;
  let bound: string | undefined;
  for (const g of groups) {
    const groupBound = g.oldestPendingId ?? nextStreamId(g.lastDeliveredId);
    if (bound === undefined || compareStreamIds(groupBound, bound) < 0) bound = groupBound;
  }
  if (cutoffId !== undefined && bound !== undefined && compareStreamIds(cutoffId, bound) < 0)
    bound = cutoffId;
  return bound === '0-0' || bound === '0-1' ? undefined : bound;
}
