/** Redis stream entry ids are `<ms>-<seq>`; these compare and step them without floating point. */
function parts(id: string): [bigint, bigint] {
  const [ms, seq] = id.split('-');
  return [BigInt(ms ?? 0), BigInt(seq ?? 0)];
}

export function compareStreamIds(a: string, b: string): number {
  const [am, as] = parts(a);
  const [bm, bs] = parts(b);
  if (am !== bm) return am < bm ? -1 : 1;
  if (as !== bs) return as < bs ? -1 : 1;
  return 0;
}

/** The smallest id greater than `id`. */
export function nextStreamId(id: string): string {
  const [ms, seq] = parts(id);
  return `${ms}-${seq + 1n}`;
}

/** The time an entry id was assigned, in ms since the epoch. */
export function streamIdTime(id: string): number {
  return Number(parts(id)[0]);
}

/** Whether `value` is a stream entry id. */
export function isStreamId(value: string): boolean {
  return /^\d+-\d+$/.test(value);
}
