/** A raw stream entry as Redis returns it: `[id, [field, value, field, value, …]]`. */
export type RawEntry = [string, string[]];

export interface StoredEvent {
  entryId: string;
  eventId: string;
  type: string;
  /** The event's subject ('' for none; entries written before subjects were stored say '' too). */
  subject: string;
  /** The CloudEvent as stored, not yet validated. */
  json: string;
}

export function toStoredEvent([entryId, fields]: RawEntry): StoredEvent {
  const map: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i]!] = fields[i + 1]!;
  return {
    entryId,
    eventId: map.id ?? '',
    type: map.type ?? '',
    subject: map.subject ?? '',
    json: map.event ?? '',
  };
}
