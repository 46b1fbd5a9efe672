import { UnknownEventType, ValidationFailed } from './errors';
import {
  type EventData,
  type EventDataInput,
  type EventType,
  eventCatalogue,
  isEventType,
} from './event-catalogue';
import { EventEnvelope } from './event-envelope';
import { timeOrderedId } from './time-ordered-id';
import { toFieldIssues } from './validation';

type Envelope = Omit<EventEnvelope, 'type' | 'data'>;

/** A parsed, typed event: the envelope with `data` narrowed by `type`. */
export type ShotcallerEvent = { [T in EventType]: Envelope & { type: T; data: EventData<T> } }[EventType];
export type EventOf<T extends EventType> = Extract<ShotcallerEvent, { type: T }>;

/** Validates a CloudEvent, envelope and data, against the catalogue. */
export function parseEvent(input: unknown): ShotcallerEvent {
  const envelope = EventEnvelope.safeParse(input);
  if (!envelope.success) throw new ValidationFailed('event', toFieldIssues(envelope.error));
  const { type } = envelope.data;
  if (!isEventType(type)) throw new UnknownEventType(type);
  const data = eventCatalogue[type].safeParse(envelope.data.data);
  if (!data.success) throw new ValidationFailed(`${type} event`, toFieldIssues(data.error, ['data']));
  return { ...envelope.data, type, data: data.data } as ShotcallerEvent;
}

export interface EventMeta {
  /** URI-reference of the producer, e.g. `/shotcaller/prod/router`. */
  source: string;
  correlationId: string;
  causationId?: string;
  subject?: string;
  show?: string;
  /** A deterministic id makes a retried producer's append a no-op; defaults to a new UUIDv7. */
  id?: string;
  time?: Date;
}

/** Builds a valid event of `type`, filling defaults of its data schema; throws on bad data. */
export function makeEvent<T extends EventType>(
  type: T,
  data: EventDataInput<T>,
  meta: EventMeta,
): EventOf<T> {
  const parsed = eventCatalogue[type].safeParse(data);
  if (!parsed.success) throw new ValidationFailed(`${type} event`, toFieldIssues(parsed.error, ['data']));
  const event = {
    specversion: '1.0' as const,
    id: meta.id ?? timeOrderedId(),
    source: meta.source,
    type,
    time: (meta.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json' as const,
    correlationid: meta.correlationId,
    ...(meta.causationId === undefined ? {} : { causationid: meta.causationId }),
    ...(meta.subject === undefined ? {} : { subject: meta.subject }),
    ...(meta.show === undefined ? {} : { show: meta.show }),
    data: parsed.data,
  };
  return event as unknown as EventOf<T>;
}

/**
 * An event before its envelope: its type, its data, and an id where a retried producer must append it
 * once. One member per type, so a draft's data always belongs to its type.
 */
export type EventDraft = {
  [T in EventType]: { type: T; data: EventDataInput<T>; id?: string };
}[EventType];

/** A draft of `type`, typed by it. */
export function draftEvent<T extends EventType>(type: T, data: EventDataInput<T>, id?: string): EventDraft {
  // Only here does TypeScript lose that `data` belongs to `type`: a generic T is not narrowed to a member.
  return (id === undefined ? { type, data } : { type, data, id }) as EventDraft;
}

/** The CloudEvent of a draft: the envelope from `meta`, the id from the draft when it has one. */
export function eventFromDraft(draft: EventDraft, meta: Omit<EventMeta, 'id'>): ShotcallerEvent {
  return makeEvent<EventType>(draft.type, draft.data, {
    ...meta,
    ...(draft.id === undefined ? {} : { id: draft.id }),
  });
}
