import { expandEvent, expandEventValue, typeOfCompactEvent } from './compact-json';

/** A raw stream entry as Redis returns it: `[id, [field, value, field, value, …]]`. */
export type RawEntry = [string, string[]];
/** The same, read with ioredis' Buffer replies, so a compact event arrives byte for byte. */
export type RawBufferEntry = [Buffer, Buffer[]];

export interface StoredEvent {
  entryId: string;
  eventId: string;
  /** The type as the entry keeps it beside the event: only entries written before it moved inside. */
  legacyType: string;
  /** The type, where it can be told without expanding the event (see typeOfCompactEvent). */
  knownType: string | undefined;
  /** The event's subject ('' for none; entries written before subjects were stored say '' too). */
  subject: string;
  /** The CloudEvent as stored, expanded to a JSON value (when first read), not yet validated; throws when unreadable. */
  readonly value: unknown;
  /** The same as JSON text, for keeping beside a dead letter. */
  readonly json: string;
}

/**
 * Reads a stream entry (string or Buffer replies). A compact event is expanded to its JSON when that is
 * first read: a consumer that skips the event's type never pays for it.
 */
export function toStoredEvent([entryId, fields]: RawEntry | RawBufferEntry): StoredEvent {
  const map = new Map<string, Buffer | string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(String(fields[i]), fields[i + 1]!);
  const text = (name: string) => String(map.get(name) ?? '');
  const event = map.get('event');
  const [eventId, subject, legacyType] = [text('id'), text('subject'), text('type')];
  let json: string | undefined;
  let value: unknown;
  let expanded = false;
  return {
    entryId: String(entryId),
    eventId,
    legacyType,
    knownType: legacyType || (event === undefined ? undefined : typeOfCompactEvent(event)),
    subject,
    get value() {
      if (!expanded) {
        if (event === undefined) throw new SyntaxError('the stream entry holds no event');
        value = expandEventValue(event, { id: eventId, subject });
        expanded = true;
      }
      return value;
    },
    get json() {
      json ??= expanded
        ? JSON.stringify(value)
        : event === undefined
          ? ''
          : expandEvent(event, { id: eventId, subject });
      return json;
    },
  };
}

/**
 * The event's type, for labelling a dead letter: read only on that rare path, not for every event,
 * and from the raw JSON, since an event that is dead-lettered may not parse.
 */
export function typeOfStored(stored: StoredEvent): string {
  return stored.knownType ?? /"type":"([^"]+)"/.exec(stored.json)?.[1] ?? '';
}
