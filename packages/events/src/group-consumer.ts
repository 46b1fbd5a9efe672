import { errorMessage, parseEvent, type ShotcallerEvent } from '@shotcaller/contracts';
import type { EventLogKeys, RedisClient } from './keys';
import { type RawBufferEntry, type StoredEvent, toStoredEvent, typeOfStored } from './stream-entry';

export interface DeliveryContext {
  entryId: string;
  /** 1 on first delivery; more when the event was claimed back from a stalled or failing consumer. */
  deliveries: number;
  group: string;
  consumer: string;
}

export type EventHandler = (event: ShotcallerEvent, context: DeliveryContext) => Promise<void>;

export interface ConsumerOptions {
  group: string;
  /** Unique per running process, e.g. `budget-<host>-<pid>`; a restart under the same name picks up its own pending events. */
  consumer: string;
  handler: EventHandler;
  /** Where a new group starts: `0` replays the whole log (default), `$` only what comes next. */
  startAt?: '0' | '$';
  batchSize?: number;
  blockMs?: number;
  /** An event unacknowledged this long is claimed by another consumer of the group. */
  claimIdleMs?: number;
  /** Attempts after which an event goes to the dead-letter stream with its last error. */
  maxDeliveries?: number;
  /**
   * The event types the handler wants; others are acknowledged unread (not validated, not handed
   * over), so a group that reacts to a few types pays little for the rest of the log.
   */
  types?: ReadonlySet<string>;
  /**
   * Handle a batch's events about different subjects at once, each subject's in log order. For
   * handlers whose work on one shot never depends on another's (routing), not for folds (the ledger).
   */
  concurrentSubjects?: boolean;
  /**
   * Handles a whole batch's events at once, where that saves work (the ledger folds a shot's facts
   * that arrive together into one write). If it throws, the batch's events are handed to `handler` one
   * by one, so a failing event is retried or dead-lettered on its own and the rest are not held back.
   */
  batchHandler?: (events: readonly ShotcallerEvent[]) => Promise<void>;
  /**
   * Called after the group was found gone and made again (at `startAt`): a group that starts at `$`
   * has skipped what came meanwhile, which its owner may need to look for (the router sweeps).
   */
  onGroupCreatedAgain?: () => Promise<void>;
  /** Told about every handler failure and dead letter, for logging. */
  onError?: (error: unknown, info: { entryId: string; eventId: string; deadLettered: boolean }) => void;
}

/** An entry, how often it was delivered, and its event. */
type Parsed = [StoredEvent, number, ShotcallerEvent];

/**
 * One consumer of a consumer group: at-least-once delivery with explicit acknowledgement. Events a dead
 * consumer left pending are claimed after `claimIdleMs`; an event that keeps failing is dead-lettered.
 */
export class GroupConsumer {
  private blocking: RedisClient | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private lastClaimAt = 0;
  private readonly batchSize: number;
  private readonly blockMs: number;
  private readonly claimIdleMs: number;
  private readonly maxDeliveries: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: EventLogKeys,
    private readonly options: ConsumerOptions,
  ) {
    this.batchSize = options.batchSize ?? 50;
    this.blockMs = options.blockMs ?? 1_000;
    this.claimIdleMs = options.claimIdleMs ?? 30_000;
    this.maxDeliveries = options.maxDeliveries ?? 5;
  }

  get group(): string {
    return this.options.group;
  }

  get name(): string {
    return this.options.consumer;
  }

  /** Creates the group if needed and starts consuming in the background. */
  async start(): Promise<void> {
    if (this.running) return;
    await ensureGroup(this.redis, this.keys.stream, this.options.group, this.options.startAt ?? '0');
    this.blocking = this.redis.duplicate();
    // ioredis reconnects by itself; say why reads stall meanwhile.
    this.blocking.on('error', (error: Error) =>
      this.options.onError?.(error, { entryId: '', eventId: '', deadLettered: false }),
    );
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the event in hand, then stops; unacknowledged events stay pending for the group. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.blocking?.disconnect();
    await this.loop;
  }

  private async run(): Promise<void> {
    let resumed = false;
    while (this.running) {
      try {
        // Our own pending entries first: a restart under the same name resumes where it stopped. Inside
        // the try, so that Redis refusing it is reported and tried again, not a loop that dies unseen.
        if (!resumed) {
          await this.readOwnPending();
          resumed = true;
        }
        if (Date.now() - this.lastClaimAt >= Math.min(this.claimIdleMs, 5_000)) await this.claimStalled();
        // Buffer replies: a compact event must arrive byte for byte (see compact-json.ts).
        const reply = (await withBufferReads(this.blocking!).xreadgroupBuffer(
          'GROUP',
          this.options.group,
          this.options.consumer,
          'COUNT',
          this.batchSize,
          'BLOCK',
          Math.min(this.blockMs, this.claimIdleMs),
          'STREAMS',
          this.keys.stream,
          '>',
        )) as unknown as Array<[Buffer, RawBufferEntry[]]> | null;
        await this.processBatch((reply?.[0]?.[1] ?? []).map((raw) => [toStoredEvent(raw), 1]));
      } catch (error) {
        if (!this.running) return;
        this.options.onError?.(error, { entryId: '', eventId: '', deadLettered: false });
        if (/NOGROUP/.test(errorMessage(error))) await this.groupLost();
        else await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /**
   * The group is gone from the stream's master: a failover promoted a replica that never had it (a
   * group made just before the old master died), or someone destroyed it. Make it again where the
   * options say, and let the owner catch up on what a group made at `$` skips.
   */
  private async groupLost(): Promise<void> {
    try {
      if (await ensureGroup(this.redis, this.keys.stream, this.options.group, this.options.startAt ?? '0'))
        await this.options.onGroupCreatedAgain?.();
    } catch (error) {
      this.options.onError?.(error, { entryId: '', eventId: '', deadLettered: false });
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  private async readOwnPending(): Promise<void> {
    let after = '0';
    while (this.running) {
      const reply = (await withBufferReads(this.redis).xreadgroupBuffer(
        'GROUP',
        this.options.group,
        this.options.consumer,
        'COUNT',
        this.batchSize,
        'STREAMS',
        this.keys.stream,
        after,
      )) as unknown as Array<[Buffer, RawBufferEntry[]]> | null;
      const entries = reply?.[0]?.[1] ?? [];
      if (entries.length === 0) return;
      const deliveries = await this.deliveryCounts(entries.map((e) => String(e[0])));
      const trimmed = entries.filter((raw) => !raw[1]).map((raw) => String(raw[0]));
      // An entry trimmed while pending comes back with no fields: nothing to do but acknowledge it.
      if (trimmed.length > 0) await this.redis.xack(this.keys.stream, this.options.group, ...trimmed);
      await this.processBatch(
        entries
          .filter((raw) => raw[1])
          .map((raw) => [toStoredEvent(raw), deliveries.get(String(raw[0])) ?? 1]),
      );
      after = String(entries.at(-1)![0]);
    }
  }

  /** Takes over entries other consumers left unacknowledged for longer than `claimIdleMs`. */
  private async claimStalled(): Promise<void> {
    this.lastClaimAt = Date.now();
    let cursor = '0-0';
    do {
      const [next, entries, deleted] = (await withBufferReads(this.redis).xautoclaimBuffer(
        this.keys.stream,
        this.options.group,
        this.options.consumer,
        this.claimIdleMs,
        cursor,
        'COUNT',
        this.batchSize,
      )) as unknown as [Buffer, Array<RawBufferEntry | null>, Buffer[]?];
      cursor = String(next);
      if (deleted && deleted.length > 0)
        await this.redis.xack(this.keys.stream, this.options.group, ...deleted.map(String));
      const claimed = entries.filter((e): e is RawBufferEntry => e !== null);
      if (claimed.length === 0) continue;
      const deliveries = await this.deliveryCounts(claimed.map((e) => String(e[0])));
      const batch: Array<[StoredEvent, number]> = [];
      for (const raw of claimed) {
        const stored = toStoredEvent(raw);
        const count = deliveries.get(stored.entryId) ?? 1;
        if (count > this.maxDeliveries) {
          // Consumers kept dying on it without recording an error: a poison pill that crashes the process.
          const last = await this.redis.hget(this.keys.failures(this.options.group), stored.entryId);
          await this.deadLetter(
            stored,
            last ?? `no consumer acknowledged it after ${count - 1} deliveries`,
            count - 1,
          );
        } else {
          batch.push([stored, count]);
        }
      }
      await this.processBatch(batch);
    } while (this.running && cursor !== '0-0');
  }

  private async deliveryCounts(ids: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (ids.length === 0) return counts;
    const rows = (await this.redis.xpending(
      this.keys.stream,
      this.options.group,
      ids[0]!,
      ids.at(-1)!,
      ids.length,
      this.options.consumer,
    )) as Array<[string, string, number, number]>;
    for (const [id, , , delivered] of rows) counts.set(id, Number(delivered));
    return counts;
  }

  /**
   * Handles a batch (whole, with `batchHandler`; else in order, or each subject's events in order with
   * `concurrentSubjects`), then acknowledges every event handled in one XACK: one command a batch
   * rather than one an event. A crash before the XACK redelivers the batch, which handlers (idempotent
   * by event id) already allow for.
   */
  private async processBatch(batch: ReadonlyArray<[StoredEvent, number]>): Promise<void> {
    const handled: string[] = [];
    const redelivered: string[] = [];
    const done = ([stored, deliveries]: readonly [StoredEvent, number, ...unknown[]]) => {
      handled.push(stored.entryId);
      if (deliveries > 1) redelivered.push(stored.entryId);
    };
    const parsed: Parsed[] = [];
    for (const [stored, deliveries] of batch) {
      const outcome = await this.parse(stored, deliveries);
      if (outcome === 'skip') done([stored, deliveries]);
      else if (outcome !== 'dead-lettered') parsed.push([stored, deliveries, outcome]);
    }
    const processInOrder = async (events: readonly Parsed[]) => {
      for (const item of events) if (await this.process(item)) done(item);
    };
    if (this.options.batchHandler && parsed.length > 1 && (await this.handleWhole(parsed))) {
      for (const item of parsed) done(item);
    } else if (this.options.concurrentSubjects && parsed.length > 1) {
      const bySubject = new Map<string, Parsed[]>();
      for (const item of parsed) {
        const subject = item[0].subject;
        const list = bySubject.get(subject);
        if (list) list.push(item);
        else bySubject.set(subject, [item]);
      }
      await Promise.all([...bySubject.values()].map(processInOrder));
    } else {
      await processInOrder(parsed);
    }
    if (handled.length === 0) return;
    if (redelivered.length === 0) {
      await this.redis.xack(this.keys.stream, this.options.group, ...handled);
      return;
    }
    await this.redis
      .multi()
      .xack(this.keys.stream, this.options.group, ...handled)
      .hdel(this.keys.failures(this.options.group), ...redelivered)
      .exec();
  }

  /** The batch handed over whole; false (and the failure reported) when the events must go one by one. */
  private async handleWhole(parsed: readonly Parsed[]): Promise<boolean> {
    try {
      await this.options.batchHandler!(parsed.map(([, , event]) => event));
      return true;
    } catch (error) {
      const first = parsed[0]![0];
      this.options.onError?.(error, { entryId: first.entryId, eventId: first.eventId, deadLettered: false });
      return false;
    }
  }

  /**
   * An entry's event, or `skip` for a type the handler does not want (acknowledged unread), or
   * `dead-lettered` for one that will never parse: retrying cannot help.
   */
  private async parse(
    stored: StoredEvent,
    deliveries: number,
  ): Promise<ShotcallerEvent | 'skip' | 'dead-lettered'> {
    const { types } = this.options;
    // Told apart without expanding the event, where its stored form names its type.
    if (types && stored.knownType !== undefined && !types.has(stored.knownType)) return 'skip';
    try {
      const json = stored.value;
      if (types && !types.has((json as { type?: unknown }).type as string)) return 'skip';
      return parseEvent(json);
    } catch (error) {
      await this.deadLetter(stored, `cannot be parsed: ${errorMessage(error)}`, deliveries);
      this.options.onError?.(error, { entryId: stored.entryId, eventId: stored.eventId, deadLettered: true });
      return 'dead-lettered';
    }
  }

  /** Handles one event; true when it is done with and may be acknowledged. */
  private async process([stored, deliveries, event]: Parsed): Promise<boolean> {
    try {
      await this.options.handler(event, {
        entryId: stored.entryId,
        deliveries,
        group: this.options.group,
        consumer: this.options.consumer,
      });
    } catch (error) {
      const message = errorMessage(error);
      const deadLettered = deliveries >= this.maxDeliveries;
      if (deadLettered) await this.deadLetter(stored, message, deliveries);
      // Otherwise it stays pending and is claimed again after claimIdleMs, by us or another consumer.
      else await this.redis.hset(this.keys.failures(this.options.group), stored.entryId, message);
      this.options.onError?.(error, { entryId: stored.entryId, eventId: stored.eventId, deadLettered });
      return false;
    }
    return true;
  }

  private async deadLetter(stored: StoredEvent, error: string, deliveries: number): Promise<void> {
    await this.redis.scDeadLetter(
      this.keys.stream,
      this.keys.deadLetters,
      this.keys.failures(this.options.group),
      this.options.group,
      stored.entryId,
      stored.eventId,
      typeOfStored(stored),
      stored.json,
      error,
      String(deliveries),
    );
  }
}

/**
 * ioredis has Buffer variants of every command, but its types leave out these two. (`callBuffer`
 * would do, but auto-pipelining mangles its command name.)
 */
function withBufferReads(redis: RedisClient) {
  return redis as unknown as {
    xreadgroupBuffer(...args: Array<string | number>): Promise<unknown>;
    xautoclaimBuffer(...args: Array<string | number>): Promise<unknown>;
  };
}

/** Creates a consumer group (and the stream) unless it exists; true when it made it. */
export async function ensureGroup(
  redis: RedisClient,
  stream: string,
  group: string,
  startAt: '0' | '$',
): Promise<boolean> {
  try {
    await redis.xgroup('CREATE', stream, group, startAt, 'MKSTREAM');
    return true;
  } catch (error) {
    if (!/BUSYGROUP/.test(errorMessage(error))) throw error;
    return false;
  }
}
