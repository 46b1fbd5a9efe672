/**
 * The shots whose place in the cut's order changed. Every shot after a trim shifts in record time, so
 * record timecode alone would call most of a re-cut "moved"; order is what an editor moves. The shots
 * outside a longest common subsequence of the two orders are the ones that moved (on a tie, the
 * earlier shot of the new cut is taken to have stayed).
 */
export function movedInCut(before: readonly string[], after: readonly string[]): Set<string> {
  const common = new Set(before.filter((c) => after.includes(c)));
  const a = before.filter((c) => common.has(c));
  const b = after.filter((c) => common.has(c));
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lengths[i]![j] =
        a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
  const stayed = new Set<string>();
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      stayed.add(a[i]!);
      i++;
      j++;
    } else if (lengths[i]![j + 1]! >= lengths[i + 1]![j]!) j++;
    else i++;
  }
  return new Set(b.filter((c) => !stayed.has(c)));
}
