import { type EventEnvelope, errorMessage, parseEvent, type ShotcallerEvent } from '@shotcaller/contracts';
import { compactEvent } from './compact-json';
import { type ConsumerOptions, GroupConsumer } from './group-consumer';
import { type EventLogKeys, eventLogKeys, type RedisClient } from './keys';
import { awaitReplicas } from './replica-acks';
import { type GroupPosition, safeTrimBound } from './retention';
import { withEventLogScripts } from './scripts';
import { type RawBufferEntry, type RawEntry, toStoredEvent } from './stream-entry';
import { compareStreamIds } from './stream-id';
import { subjectEntries } from './subject-index';

export interface AppendResult {
  entryId: string;
  /** False when an event with the same id was already in the log: nothing was written. */
  appended: boolean;
}

export interface DeadLetter {
  deadLetterId: string;
  group: string;
  entryId: string;
  eventId: string;
  type: string;
  error: string;
  deliveries: number;
  json: string;
}

export interface GroupStatus {
  name: string;
  pending: number;
  /** Entries not yet delivered to the group (null when RedisClient cannot tell after a trim). */
  lag: number | null;
  lastDeliveredId: string;
}

export interface EventLogOptions {
  deployment: string;
}

/** The deployment's event log: one Redis Stream of CloudEvents, the source of truth for every view. */
export class EventLog {
  readonly keys: EventLogKeys;
  private readonly redis: RedisClient;

  constructor(redis: RedisClient, options: EventLogOptions) {
    this.redis = withEventLogScripts(redis);
    this.keys = eventLogKeys(options.deployment);
  }

  /** Appends an event; appending an event whose id is already in the log stores nothing. */
  async append(event: ShotcallerEvent | EventEnvelope): Promise<AppendResult> {
    const [entryId, appended] = await this.redis.scAppendEvent(...this.appendArgs(event));
    await awaitReplicas(this.redis, this.keys.stream, [event.type]);
    return { entryId, appended: appended === 1 };
  }

  /** Appends several events in one round trip, each idempotently, in order. */
  async appendMany(events: ReadonlyArray<ShotcallerEvent | EventEnvelope>): Promise<AppendResult[]> {
    if (events.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const e of events) pipeline.scAppendEvent(...this.appendArgs(e));
    const replies = (await pipeline.exec()) ?? [];
    const results = replies.map(([error, reply]) => {
      if (error) throw error;
      const [entryId, appended] = reply as [string, number];
      return { entryId, appended: appended === 1 };
    });
    await awaitReplicas(
      this.redis,
      this.keys.stream,
      events.map((e) => e.type),
    );
    return results;
  }

  private appendArgs(
    e: ShotcallerEvent | EventEnvelope,
  ): [string, string, string, string, string, Buffer, string] {
    const subject = e.subject ?? '';
    return [
      this.keys.stream,
      this.keys.ids,
      this.keys.subject(subject),
      e.id,
      e.type,
      compactEvent(e),
      subject,
    ];
  }

  /**
   * Whether an event with this id is in the log (trimmed events are forgotten with their ids). Events
   * are de-duplicated per subject, so give the subject the event was appended with.
   */
  async has(eventId: string, subject = ''): Promise<boolean> {
    if (subject === '') return (await this.redis.hexists(this.keys.ids, eventId)) === 1;
    const [field, packed] = await this.redis.hmgetBuffer(this.keys.subject(subject), eventId, '');
    const fields: Record<string, Buffer> = {};
    if (field) fields[eventId] = field;
    if (packed) fields[''] = packed;
    return subjectEntries(fields).has(eventId);
  }

  /** The events about one subject (a shot id), oldest first. */
  async bySubject(subject: string): Promise<Array<{ entryId: string; event: ShotcallerEvent }>> {
    let ids = [...subjectEntries(await this.redis.hgetallBuffer(this.keys.subject(subject))).values()].sort(
      compareStreamIds,
    );
    // A shot whose events an older version indexed in a list: read that instead, no migration needed.
    if (ids.length === 0) ids = await this.redis.lrange(this.keys.legacySubject(subject), 0, -1);
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.xrangeBuffer(this.keys.stream, id, id);
    const replies = (await pipeline.exec()) ?? [];
    const out: Array<{ entryId: string; event: ShotcallerEvent }> = [];
    for (const [error, reply] of replies) {
      if (error) throw error;
      const [raw] = reply as RawBufferEntry[];
      // A trimmed event leaves its id behind in the subject index; there is nothing left to show.
      if (!raw) continue;
      const stored = toStoredEvent(raw);
      out.push({ entryId: stored.entryId, event: parseEvent(stored.value) });
    }
    return out;
  }

  /** Reads the log in order, validating each event; `after` is exclusive, `from` inclusive. */
  async *replay(
    options: { from?: string; after?: string; to?: string; batch?: number } = {},
  ): AsyncGenerator<{
    entryId: string;
    event: ShotcallerEvent;
  }> {
    const batch = options.batch ?? 500;
    let start = options.after ? `(${options.after}` : (options.from ?? '-');
    const end = options.to ?? '+';
    for (;;) {
      const entries = (await this.redis.xrangeBuffer(
        this.keys.stream,
        start,
        end,
        'COUNT',
        batch,
      )) as unknown as RawBufferEntry[];
      for (const raw of entries) {
        const stored = toStoredEvent(raw);
        yield { entryId: stored.entryId, event: parseEvent(stored.value) };
      }
      if (entries.length < batch) return;
      start = `(${String(entries.at(-1)![0])}`;
    }
  }

  async length(): Promise<number> {
    return this.redis.xlen(this.keys.stream);
  }

  /** A consumer in `group`; call `start()` to run it. */
  consumer(options: ConsumerOptions): GroupConsumer {
    return new GroupConsumer(this.redis, this.keys, options);
  }

  async groups(): Promise<GroupStatus[]> {
    let raw: unknown[];
    try {
      raw = (await this.redis.xinfo('GROUPS', this.keys.stream)) as unknown[];
    } catch (error) {
      if (/no such key/i.test(errorMessage(error))) return [];
      throw error;
    }
    return raw.map((g) => {
      const fields = g as unknown[];
      const map = new Map<string, unknown>();
      for (let i = 0; i + 1 < fields.length; i += 2) map.set(String(fields[i]), fields[i + 1]);
      const lag = map.get('lag');
      return {
        name: String(map.get('name')),
        pending: Number(map.get('pending')),
        lag: lag === null || lag === undefined ? null : Number(lag),
        lastDeliveredId: String(map.get('last-delivered-id')),
      };
    });
  }

  /** Events `group` has given up on, oldest first. */
  async deadLetters(group?: string): Promise<DeadLetter[]> {
    const entries = (await this.redis.xrange(this.keys.deadLetters, '-', '+')) as RawEntry[];
    const out: DeadLetter[] = [];
    for (const [deadLetterId, fields] of entries) {
      const m: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) m[fields[i]!] = fields[i + 1]!;
      if (group !== undefined && m.group !== group) continue;
      out.push({
        deadLetterId,
        group: m.group ?? '',
        entryId: m.entry ?? '',
        eventId: m.id ?? '',
        type: m.type ?? '',
        error: m.error ?? '',
        deliveries: Number(m.deliveries ?? 0),
        json: m.event ?? '',
      });
    }
    return out;
  }

  /**
   * Trims events every group has acknowledged and that are older than `retentionMs` (all acknowledged
   * ones when not given). Never removes an event some group still has to process. Returns how many went.
   */
  async trim(options: { retentionMs?: number; now?: number; batch?: number } = {}): Promise<number> {
    const groups = await this.groups();
    const positions: GroupPosition[] = [];
    for (const g of groups) {
      const summary = (await this.redis.xpending(this.keys.stream, g.name)) as [
        number,
        string | null,
        ...unknown[],
      ];
      positions.push({
        name: g.name,
        lastDeliveredId: g.lastDeliveredId,
        ...(summary[0] > 0 && summary[1] ? { oldestPendingId: summary[1] } : {}),
      });
    }
    const cutoff =
      options.retentionMs === undefined
        ? undefined
        : `${(options.now ?? Date.now()) - options.retentionMs}-0`;
    const bound = safeTrimBound(positions, cutoff);
    if (bound === undefined) return 0;
    let removed = 0;
    for (;;) {
      const n = await this.redis.scTrimAcknowledged(
        this.keys.stream,
        this.keys.ids,
        bound,
        String(options.batch ?? 1000),
        this.keys.subjectPrefix,
      );
      removed += n;
      if (n === 0) return removed;
    }
  }
}
