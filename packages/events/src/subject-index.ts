import { isStreamId } from './stream-id';

/**
 * A subject's index as Redis holds it (see lib-append-event.lua): event id → stream entry id, packed in
 * the empty field (per entry: the id's length in bytes, a space, the id, a space, the stream entry id,
 * a newline) or, written by an older version, a field per event. A shot's hash is also the shot: its
 * own fields hold no stream entry id, which tells them apart.
 */
export function subjectEntries(fields: Record<string, Buffer>): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [field, value] of Object.entries(fields)) {
    if (field === '' || value.length > 48) continue;
    const entry = value.toString('latin1');
    if (isStreamId(entry)) entries.set(field, entry);
  }
  const packed = fields[''];
  for (let pos = 0; packed && pos < packed.length; ) {
    const space = packed.indexOf(0x20, pos);
    const length = Number(packed.toString('latin1', pos, space));
    const entryStart = space + 1 + length + 1;
    const newline = packed.indexOf(0x0a, entryStart);
    entries.set(
      packed.toString('utf8', space + 1, space + 1 + length),
      packed.toString('latin1', entryStart, newline),
    );
    pos = newline + 1;
  }
  return entries;
}
