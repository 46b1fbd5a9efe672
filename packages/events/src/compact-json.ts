import { readFileSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { ShotcallerError } from '@shotcaller/contracts';

/**
 * The preset dictionary of format 1: the event catalogue's vocabulary (attribute and field names,
 * type names, enum values) and the CloudEvents envelope's skeleton, no data of any production. A
 * stored value names its format in its first byte, so this file never changes: a better dictionary
 * is a new format beside it, and values of both stay readable.
 */
const dictionaryV1 = readFileSync(new URL('./event-dictionary-v1.txt', import.meta.url));

const FORMAT_V1 = 0x01;
// Plain JSON, as Lua scripts and older versions wrote it, starts with `{` and is read as it is.
const PLAIN = 0x7b;

export class UnreadableStoredJson extends ShotcallerError {
  readonly code = 'unreadable_stored_json';
  constructor(readonly firstByte: number | undefined) {
    super(
      `A stored value starts with byte ${firstByte ?? 'none'}, which is neither JSON nor a compact format this version reads: was it written by a newer Shotcaller?`,
    );
  }
}

/**
 * Encodes JSON for storage in Redis: deflated against the catalogue's dictionary (an event of ~740
 * bytes keeps ~240, a shot record of ~2,000 keeps ~730). Events and shot records are most of what a
 * shot holds in Redis memory, and they are read far less often than they are kept.
 */
export function compactJson(json: string): Buffer {
  const packed = deflateRawSync(json, { dictionary: dictionaryV1 });
  return Buffer.concat([Buffer.from([FORMAT_V1]), packed]);
}

/** Reads a value `compactJson` wrote, or plain JSON (from a Lua script or an older version). */
export function expandJson(stored: Buffer | string): string {
  if (typeof stored === 'string') return stored;
  const first = stored[0];
  if (first === PLAIN) return stored.toString('utf8');
  if (first === FORMAT_V1)
    return inflateRawSync(stored.subarray(1), { dictionary: dictionaryV1 }).toString('utf8');
  throw new UnreadableStoredJson(first);
}
