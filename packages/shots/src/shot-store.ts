import { createHash } from 'node:crypto';
import {
  draftEvent,
  type EventDraft,
  eventFromDraft,
  makeEvent,
  parseEvent,
  type ShotcallerEvent,
  type ShotRequest,
  ShotState,
  shotCodeOf,
  timeOrderedId,
} from '@shotcaller/contracts';
import {
  awaitReplicas,
  compactEvent,
  EventLog,
  eventLogKeys,
  expandJson,
  type RedisClient,
  shotIdPrefixOfKeyspace,
} from '@shotcaller/events';
import { IdempotencyConflict, IllegalTransition, RevisionRefused, ShotBusy, ShotNotFound } from './errors';
import { type ShotKeys, shotKeys } from './keys';
import { assertTransition, canTransition, revisableStates, transitions } from './lifecycle';
import { newestFirst } from './newest-first';
import { createShotOutcome, withShotScripts } from './scripts';
import { indexShotCodes, ShotCodeTaken } from './shot-codes';
import { ShotRecord } from './shot-record';
import { storedRecord } from './stored-record';

/** An event to append with a shot change: its type and data; the store fills in the envelope. */
export type PendingEvent = EventDraft;

/** A draft of an event to append with a shot change (a deterministic id makes a retried write append once). */
export const pending = draftEvent;

export interface ChangeOptions {
  /** The new state, checked against the lifecycle; absent rewrites the shot where it is. */
  to?: ShotState;
  /**
   * Where the shot cannot move to `to` directly, a state it passes through on the way within this one
   * write (both steps checked against the lifecycle; `via` is never stored): the router takes a
   * submitted shot through routing to queued in one step.
   */
  via?: ShotState;
  /**
   * The states the caller judged the move from. A shot another writer moved elsewhere meanwhile is an
   * IllegalTransition, not the move applied afresh: a router that decided to hold a submitted shot must
   * not hold it again once a racing router has (held → routing → held is a legal path, for consent).
   */
  from?: readonly ShotState[];
  /** The shot as the caller just read it, which spares a read; a stale one costs a retry, nothing more. */
  current?: ShotRecord;
  patch?: (shot: ShotRecord) => Partial<ShotRecord>;
  events: (shot: ShotRecord) => PendingEvent[];
  /**
   * The events' ids name what only this move can do once (say, a task whose id carries the shot
   * version it started from), so none of them can be in the log yet and the append looks none up.
   * Without it, an event with a chosen id is looked up and appended only if it is not there.
   */
  idsUniqueToMove?: boolean;
  /** The move ends the task whose live progress the shot keeps: the same write forgets it. */
  clearProgress?: boolean;
  /** Who or what makes the change, e.g. `/shotcaller/dev/router`. */
  source: string;
  causationId?: string;
  now: Date;
}

export interface ListOptions {
  show?: string;
  state?: ShotState;
  route?: 'genai' | 'vendor';
  /** Shows the caller may see; `*` for all. */
  visibleShows: readonly string[] | '*';
  offset?: number;
  limit: number;
}

/** A shot from its stored hash fields: the record plain or compact (see storedRecord), the version apart. */
function toRecord(record: Buffer | null, version: Buffer | null): ShotRecord | undefined {
  if (!record || !version) return undefined;
  return ShotRecord.parse({ ...JSON.parse(expandJson(record)), version: Number(String(version)) });
}

function fingerprint(request: ShotRequest): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex').slice(0, 32);
}

/** Shots in Redis. Every change is one atomic compare-and-set that also appends the events saying so. */
export class ShotStore {
  readonly keys: ShotKeys;
  readonly log: EventLog;
  private readonly redis: RedisClient;
  private readonly streamKeys;
  /** New shots' ids name their partition, so finding a shot by id is one read. */
  private readonly idPrefix: string;

  constructor(
    redis: RedisClient,
    readonly deployment: string,
  ) {
    this.redis = withShotScripts(redis);
    this.keys = shotKeys(deployment);
    this.streamKeys = eventLogKeys(deployment);
    this.log = new EventLog(redis, { deployment });
    this.idPrefix = shotIdPrefixOfKeyspace(deployment);
  }

  /**
   * Creates a shot from a request, or returns the one its idempotency key already made. Refuses with
   * {@link ShotCodeTaken} while another live shot has the request's shot code.
   */
  async create(
    request: ShotRequest,
    opts: { submittedBy: string; source: string; now: Date },
  ): Promise<{ shot: ShotRecord; created: boolean }> {
    const id = `${this.idPrefix}${timeOrderedId()}`;
    const now = opts.now.toISOString();
    const record: ShotRecord = {
      id,
      show: request.show,
      request,
      state: 'submitted',
      attempt: 1,
      submittedBy: opts.submittedBy,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    const event = makeEvent(
      'io.shotcaller.shot.submitted.v1',
      { shotId: id, request, submittedBy: opts.submittedBy },
      { source: opts.source, correlationId: id, subject: id, show: request.show, time: opts.now },
    );
    const print = fingerprint(request);
    const code = shotCodeOf(request);
    const k = this.keys;
    const createShot = () =>
      this.redis.scCreateShot(
        k.idempotency(request.show),
        k.shot(id),
        k.shows,
        k.byShow(request.show),
        k.byShowState(request.show, 'submitted'),
        this.streamKeys.stream,
        k.codes(request.show),
        request.idempotencyKey,
        `${id}|${print}`,
        id,
        'submitted',
        storedRecord(record),
        String(opts.now.getTime()),
        event.id,
        event.type,
        compactEvent(event),
        request.show,
        code,
      );
    let reply = await createShot();
    if (reply[1] === createShotOutcome.unindexed) {
      await this.indexCodes(request.show);
      reply = await createShot();
    }
    const [owner, outcome] = reply;
    // Indexed a moment ago, yet not complete: someone dropped the index meanwhile.
    if (outcome === createShotOutcome.unindexed) throw new ShotBusy(id);
    if (outcome === createShotOutcome.created) {
      await awaitReplicas(this.redis, k.shot(id), [event.type]);
      return { shot: record, created: true };
    }
    if (outcome === createShotOutcome.codeTaken) throw await this.codeTaken(code, owner);
    const [existingId, existingPrint] = owner.split('|') as [string, string];
    if (existingPrint !== print) throw new IdempotencyConflict(request.idempotencyKey, existingId);
    return { shot: await this.require(existingId), created: false };
  }

  /** The refusal of a code that `holderId` has, saying what state the live shot is in. */
  private async codeTaken(code: string, holderId: string): Promise<ShotCodeTaken> {
    return new ShotCodeTaken(code, holderId, (await this.require(holderId)).state);
  }

  /**
   * Indexes the codes of a show's shots made before the code index existed; the store does it itself
   * when a submission finds the index incomplete, and start-up does it early to name the codes that
   * several live shots already share. Undefined when the index was complete already.
   */
  indexCodes(show: string): ReturnType<typeof indexShotCodes> {
    return indexShotCodes(this.redis, this.keys, show, (ids) => this.getMany(ids));
  }

  async get(id: string): Promise<ShotRecord | undefined> {
    const [record, version] = await this.redis.hmgetBuffer(this.keys.shot(id), 'record', 'version');
    return toRecord(record ?? null, version ?? null);
  }

  async require(id: string): Promise<ShotRecord> {
    const shot = await this.get(id);
    if (!shot) throw new ShotNotFound(id);
    return shot;
  }

  async getMany(ids: readonly string[]): Promise<ShotRecord[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmgetBuffer(this.keys.shot(id), 'record', 'version');
    const replies = (await pipeline.exec()) ?? [];
    const out: ShotRecord[] = [];
    for (const [error, reply] of replies) {
      if (error) throw error;
      const [record, version] = reply as [Buffer | null, Buffer | null];
      const shot = toRecord(record, version);
      if (shot) out.push(shot);
    }
    return out;
  }

  /**
   * Applies a lifecycle move (checked against the state machine) and appends its events atomically.
   * Retries when another writer got there first, re-reading the shot so the move is judged afresh.
   */
  async change(id: string, options: ChangeOptions): Promise<{ shot: ShotRecord; events: ShotcallerEvent[] }> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const current = attempt === 0 && options.current ? options.current : await this.require(id);
      const to = options.to ?? current.state;
      if (options.from && !options.from.includes(current.state))
        throw new IllegalTransition(id, current.state, to, transitions[current.state]);
      if (options.to !== undefined) {
        const via = options.via !== undefined && !canTransition(current.state, to) ? options.via : undefined;
        if (via !== undefined) assertTransition(id, current.state, via);
        assertTransition(id, via ?? current.state, to);
      }
      const next: ShotRecord = {
        ...current,
        ...(options.patch?.(current) ?? {}),
        state: to,
        updatedAt: options.now.toISOString(),
        version: current.version + 1,
      };
      const pendingEvents = options.events(current);
      const events = pendingEvents.map((p) =>
        eventFromDraft(p, {
          source: options.source,
          correlationId: id,
          subject: id,
          show: current.show,
          time: options.now,
          ...(options.causationId === undefined ? {} : { causationId: options.causationId }),
        }),
      );
      const k = this.keys;
      const reply = await this.redis.scTransitionShot(
        k.shot(id),
        this.streamKeys.stream,
        k.byShowState(current.show, current.state),
        k.byShowState(current.show, to),
        k.codes(current.show),
        String(current.version),
        to,
        storedRecord({ ...next, version: undefined }),
        id,
        String(Date.parse(current.createdAt)),
        options.clearProgress ? '1' : '0',
        shotCodeOf(current.request),
        shotCodeOf(next.request),
        String(events.length),
        ...events.flatMap((e, i) => [
          e.id,
          e.type,
          compactEvent(e),
          pendingEvents[i]!.id === undefined || options.idsUniqueToMove ? '1' : '0',
        ]),
      );
      if (reply[0] === 'ok') {
        await awaitReplicas(
          this.redis,
          k.shot(id),
          events.map((e) => e.type),
        );
        return { shot: next, events };
      }
      if (reply[0] === 'missing') throw new ShotNotFound(id);
      if (reply[0] === 'code-taken') throw await this.codeTaken(shotCodeOf(next.request), reply[1]!);
      if (reply[0] === 'unindexed') await this.indexCodes(current.show);
    }
    throw new ShotBusy(id);
  }

  /**
   * Replaces a shot's request before work on it starts (submitted, held or queued), and re-points its
   * idempotency key at the new request, so submitting the revised request again changes nothing.
   * A held or queued shot goes back through routing. A new shot code must not be another live shot's.
   */
  async revise(
    id: string,
    request: ShotRequest,
    opts: { by: string; source: string; now: Date },
  ): Promise<{ shot: ShotRecord; changed: string[] }> {
    const current = await this.require(id);
    if (!revisableStates.includes(current.state))
      throw new RevisionRefused(
        `Shot ${id} is ${current.state}: its request can only change before work starts`,
      );
    if (request.show !== current.request.show || request.budgetLine !== current.request.budgetLine)
      throw new RevisionRefused(`Shot ${id}: a revision cannot move it to another show or budget line`);
    // The revised request's key will name this shot: it must not be taken from another.
    const keyOwner = (
      await this.redis.hget(this.keys.idempotency(request.show), request.idempotencyKey)
    )?.split('|')[0];
    if (keyOwner !== undefined && keyOwner !== id)
      throw new IdempotencyConflict(request.idempotencyKey, keyOwner);
    const changed = (Object.keys(request) as Array<keyof ShotRequest>).filter(
      (k) => JSON.stringify(request[k]) !== JSON.stringify(current.request[k]),
    );
    if (changed.length === 0) return { shot: current, changed };
    const { shot } = await this.change(id, {
      ...(current.state === 'held'
        ? { to: 'routing' as const }
        : current.state === 'queued'
          ? { to: 'rerouted' as const }
          : {}),
      patch: () => ({ request }),
      events: () => [pending('io.shotcaller.shot.revised.v1', { shotId: id, request, changed, by: opts.by })],
      source: opts.source,
      now: opts.now,
    });
    await this.redis.hset(
      this.keys.idempotency(request.show),
      request.idempotencyKey,
      `${id}|${fingerprint(request)}`,
    );
    return { shot, changed };
  }

  /** Shots newest first, filtered by show, state and route, limited to the shows the caller may see. */
  list(options: ListOptions): Promise<{ shots: ShotRecord[]; nextOffset?: number }> {
    return listShots(this.redis, options, {
      shows: () => this.shows(),
      index: (show, state) => (state ? this.keys.byShowState(show, state) : this.keys.byShow(show)),
      getMany: (ids) => this.getMany(ids),
    });
  }

  /**
   * A deployment an older version wrote indexed every shot deployment-wide as well (`shots:all`,
   * `shots:state:<state>`) and kept no set of shows: fill the set from those shots, then drop the
   * deployment-wide indexes. Safe to run at every start; it does nothing once done.
   */
  async upgradeIndexes(): Promise<number> {
    const legacyAll = this.keys.legacy.all;
    if ((await this.redis.exists(legacyAll)) === 0) return 0;
    let moved = 0;
    for (let start = 0; ; start += 500) {
      const ids = await this.redis.zrange(legacyAll, start, start + 499);
      const shows = new Set((await this.getMany(ids)).map((s) => s.show));
      if (shows.size > 0) await this.redis.sadd(this.keys.shows, ...shows);
      moved += ids.length;
      if (ids.length < 500) break;
    }
    await this.redis.del(legacyAll, ...ShotState.options.map((state) => this.keys.legacy.byState(state)));
    return moved;
  }

  /**
   * A deployment an older version wrote keeps each shot in a hash of its own (`shot:<id>`), apart from
   * its event index: move every shot into its index's hash (see keys.ts), one script a shot, then mark
   * the partition done so that later starts skip the walk. Safe to run at every start and from several
   * processes at once. Every process of the older version must be stopped first: one still running
   * would write shots where no one reads them.
   */
  async upgradeShotKeys(): Promise<number> {
    if ((await this.redis.exists(this.keys.layout)) === 1) return 0;
    const indexes = [...(await this.shows()).map((show) => this.keys.byShow(show)), this.keys.legacy.all];
    let moved = 0;
    for (const index of indexes)
      for (let start = 0; ; start += 500) {
        const ids = await this.redis.zrange(index, start, start + 499);
        if (ids.length > 0) {
          const pipeline = this.redis.pipeline();
          for (const id of ids) pipeline.scMoveShotKey(this.keys.legacyShot(id), this.keys.shot(id));
          for (const [error, n] of (await pipeline.exec()) ?? []) {
            if (error) throw error;
            moved += Number(n);
          }
        }
        if (ids.length < 500) break;
      }
    await this.redis.set(this.keys.layout, 'shot-in-event-index');
    return moved;
  }

  /** The shows that have shots. */
  async shows(): Promise<string[]> {
    return (await this.redis.smembers(this.keys.shows)).sort();
  }

  /**
   * Publishes a live event about a running task (progress) and keeps it on the shot as the latest, in
   * one round trip: a TD watching sees it move, and nothing enters the durable log.
   */
  async reportProgress(event: ShotcallerEvent): Promise<void> {
    if (!event.subject) throw new Error(`A live event needs the shot as its subject (event ${event.id})`);
    const json = JSON.stringify(event);
    await this.redis
      .pipeline()
      .hset(this.keys.shot(event.subject), 'progress', json)
      .publish(this.streamKeys.live, json)
      .exec();
  }

  /** Forgets a finished task's progress: it told the watchers all it had to, and costs memory per shot. */
  async clearProgress(id: string): Promise<void> {
    await this.redis.hdel(this.keys.shot(id), 'progress');
  }

  /** The latest live progress of the shot's running task, if it has reported any. */
  async progress(id: string): Promise<ShotcallerEvent | undefined> {
    // Empty once the task that reported it ended (see clearProgress).
    const json = await this.redis.hget(this.keys.shot(id), 'progress');
    return json ? parseEvent(JSON.parse(json)) : undefined;
  }

  /** The shot's events, oldest first. */
  history(id: string): ReturnType<EventLog['bySubject']> {
    return this.log.bySubject(id);
  }

  /** How many shots there are, in a state or in all, across the shows. */
  async count(state?: ShotState): Promise<number> {
    const shows = await this.shows();
    const sizes = await Promise.all(
      shows.map((show) =>
        this.redis.zcard(state ? this.keys.byShowState(show, state) : this.keys.byShow(show)),
      ),
    );
    return sizes.reduce((a, b) => a + b, 0);
  }
}

/** Where a listing finds shows, their indexes and their shots: one store, or every partition's. */
export interface ShotListSource {
  shows(): Promise<string[]>;
  index(show: string, state: ShotState | undefined): string;
  getMany(ids: readonly string[]): Promise<ShotRecord[]>;
}

/** Shots newest first across the shows' own indexes, paged by offset. */
export async function listShots(
  redis: RedisClient,
  options: ListOptions,
  source: ShotListSource,
): Promise<{ shots: ShotRecord[]; nextOffset?: number }> {
  const maySee = (show: string) => options.visibleShows === '*' || options.visibleShows.includes(show);
  const shows = options.show ? [options.show] : await source.shows();
  const indexes = shows.filter(maySee).map((show) => source.index(show, options.state));
  const page = Math.max(options.limit, 100);
  const walk = newestFirst(redis, indexes, page);
  const offset = options.offset ?? 0;
  for (let skipped = 0; skipped < offset; skipped++) if ((await walk.next()).done) return { shots: [] };
  const out: ShotRecord[] = [];
  let consumed = offset;
  for (;;) {
    const ids: string[] = [];
    for (let n = 0; n < page; n++) {
      const next = await walk.next();
      if (next.done) break;
      ids.push(next.value);
    }
    if (ids.length === 0) return { shots: out };
    const shots = new Map((await source.getMany(ids)).map((s) => [s.id, s]));
    for (let i = 0; i < ids.length; i++) {
      consumed++;
      const shot = shots.get(ids[i]!);
      if (!shot || (options.route !== undefined && shot.route !== options.route)) continue;
      out.push(shot);
      if (out.length === options.limit) {
        // More to come if this page had ids past this one, or the walk has any left.
        const more = i < ids.length - 1 || !(await walk.next()).done;
        return more ? { shots: out, nextOffset: consumed } : { shots: out };
      }
    }
  }
}
