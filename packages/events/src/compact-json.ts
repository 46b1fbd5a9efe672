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

/**
 * How values are deflated: a window of 8 KB, which holds the 5 KB dictionary and a shot record, with a
 * smaller hash table than zlib's default. Each value is deflated on its own, and zlib's set-up for a
 * 32 KB window cost more than the deflating: this takes a third less time for the same bytes. Any
 * window up to 32 KB inflates with the defaults, so values written either way read alike. Output comes
 * in 1 KB chunks, not 16 KB ones: a value is rarely more, and each call allocated a fresh 16 KB.
 */
const deflating = { dictionary: dictionaryV1, windowBits: 13, memLevel: 6, chunkSize: 1024 };

/**
 * The event types format 3 names by their place in this list, in the byte after the format's: a
 * consumer reads an event's type without inflating the event, and skips the types it does not want for
 * almost nothing. Append-only: a new type goes at the end (a test checks every catalogue type is here),
 * and a line never changes, since stored events name types by line.
 */
const typesV1 = readFileSync(new URL('./event-types-v1.txt', import.meta.url), 'utf8')
  .trim()
  .split('\n');
const typeIndexV1 = new Map(typesV1.map((type, i) => [type, i]));

const FORMAT_V1 = 0x01;
/** Format 1's dictionary, for an event stored without what its stream entry already holds. */
const EVENT_V1 = 0x02;
/** As EVENT_V1, with the event's type by its index in `typesV1` in the next byte, out of the deflated body. */
const EVENT_TYPED_V1 = 0x03;
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
  const packed = deflateRawSync(json, deflating);
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

/** What a stream entry keeps beside the event itself, which the stored event leaves out. */
export interface EntryFields {
  id: string;
  /** '' for an event with no subject. */
  subject: string;
}

/**
 * Encodes a CloudEvent for the stream: compact (see `compactJson`), and without what the entry holds
 * beside it (its id and subject), what every event says alike (`specversion`, `datacontenttype`) and
 * a correlation id that is its subject, as it is for every event about a shot. Those are random or
 * long strings no dictionary shortens: leaving them out keeps about a quarter of each event.
 */
export function compactEvent(event: { id: string; subject?: string; correlationid: string }): Buffer {
  const {
    id: _id,
    subject,
    specversion: _v,
    datacontenttype: _d,
    correlationid,
    ...rest
  } = event as Record<string, unknown>;
  const body = correlationid === subject ? rest : { correlationid, ...rest };
  const index = typeIndexV1.get(String(body.type));
  if (index === undefined || index > 0xff) {
    const packed = deflateRawSync(JSON.stringify(body), deflating);
    return Buffer.concat([Buffer.from([EVENT_V1]), packed]);
  }
  const { type: _type, ...untyped } = body;
  const packed = deflateRawSync(JSON.stringify(untyped), deflating);
  return Buffer.concat([Buffer.from([EVENT_TYPED_V1, index]), packed]);
}

/** The type of a stored event when it can be told without expanding it (format 3), else undefined. */
export function typeOfCompactEvent(stored: Buffer | string): string | undefined {
  return typeof stored !== 'string' && stored[0] === EVENT_TYPED_V1 ? typesV1[stored[1]!] : undefined;
}

/** The event's JSON from what its stream entry holds: a compact event, or JSON as Lua scripts write it. */
export function expandEvent(stored: Buffer | string, entry: EntryFields): string {
  if (typeof stored === 'string' || (stored[0] !== EVENT_V1 && stored[0] !== EVENT_TYPED_V1))
    return expandJson(stored);
  return JSON.stringify(expandEventValue(stored, entry));
}

/**
 * The event as a JSON value from what its stream entry holds, not yet validated: what a consumer parses,
 * without writing the JSON text out and reading it back.
 */
export function expandEventValue(stored: Buffer | string, entry: EntryFields): unknown {
  if (typeof stored === 'string' || (stored[0] !== EVENT_V1 && stored[0] !== EVENT_TYPED_V1))
    return JSON.parse(expandJson(stored));
  const typed = stored[0] === EVENT_TYPED_V1;
  const body = JSON.parse(
    inflateRawSync(stored.subarray(typed ? 2 : 1), { dictionary: dictionaryV1 }).toString('utf8'),
  ) as Record<string, unknown>;
  if (typed) {
    const type = typesV1[stored[1]!];
    if (type === undefined) throw new UnreadableStoredJson(stored[0]);
    body.type = type;
  }
  const { source, type, time, correlationid, ...rest } = body;
  // The CloudEvents attributes first, in the order makeEvent writes them, then the rest as stored.
  return {
    specversion: '1.0',
    id: entry.id,
    source,
    type,
    time,
    ...(entry.subject === '' ? {} : { subject: entry.subject }),
    datacontenttype: 'application/json',
    correlationid: correlationid ?? entry.subject,
    ...rest,
  };
}
