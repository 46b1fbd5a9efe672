import type { Route, ShotcallerEvent, ShotRequest, ShotState } from '@shotcaller/contracts';
import type { Partitions, RedisClient } from '@shotcaller/events';
import { ShotNotFound } from './errors';
import type { Actor } from './shot-commands';
import { ShotCommands } from './shot-commands';
import type { ShotRecord } from './shot-record';
import { type ListOptions, listShots, ShotStore } from './shot-store';

/**
 * The shots of every partition of a deployment, for whoever answers for every show (the api, the
 * Kitsu watch): a shot is found through the partition its id names, a new one goes to its show's
 * partition, and listings merge the partitions' per-show indexes newest first. With one partition
 * it is that partition's store.
 */
export class ShotPartitions {
  private readonly stores = new Map<number, ShotStore>();
  private readonly commandsByPartition = new Map<number, ShotCommands>();

  constructor(
    private readonly redis: RedisClient,
    readonly partitions: Partitions,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  store(k: number): ShotStore {
    let store = this.stores.get(k);
    if (!store) {
      store = new ShotStore(this.redis, this.partitions.keyspace(k));
      this.stores.set(k, store);
    }
    return store;
  }

  storeOfShow(show: string): ShotStore {
    return this.store(this.partitions.ofShow(show));
  }

  /** The store a shot id names; undefined for an id no shot of this deployment can have. */
  storeOfShot(id: string): ShotStore | undefined {
    const k = this.partitions.ofShotId(id);
    return k === undefined ? undefined : this.store(k);
  }

  commands(k: number): ShotCommands {
    let commands = this.commandsByPartition.get(k);
    if (!commands) {
      commands = new ShotCommands(this.store(k), this.clock);
      this.commandsByPartition.set(k, commands);
    }
    return commands;
  }

  private commandsOfShot(id: string): ShotCommands {
    const k = this.partitions.ofShotId(id);
    if (k === undefined) throw new ShotNotFound(id);
    return this.commands(k);
  }

  async get(id: string): Promise<ShotRecord | undefined> {
    return this.storeOfShot(id)?.get(id);
  }

  async require(id: string): Promise<ShotRecord> {
    const shot = await this.get(id);
    if (!shot) throw new ShotNotFound(id);
    return shot;
  }

  async getMany(ids: readonly string[]): Promise<ShotRecord[]> {
    const byPartition = new Map<number, string[]>();
    for (const id of ids) {
      const k = this.partitions.ofShotId(id);
      if (k !== undefined) byPartition.set(k, [...(byPartition.get(k) ?? []), id]);
    }
    const found = new Map(
      (await Promise.all([...byPartition].map(([k, part]) => this.store(k).getMany(part))))
        .flat()
        .map((s) => [s.id, s]),
    );
    return ids.map((id) => found.get(id)).filter((s): s is ShotRecord => s !== undefined);
  }

  list(options: ListOptions): Promise<{ shots: ShotRecord[]; nextOffset?: number }> {
    return listShots(this.redis, options, {
      shows: () => this.shows(),
      index: (show, state) => {
        const keys = this.storeOfShow(show).keys;
        return state ? keys.byShowState(show, state) : keys.byShow(show);
      },
      getMany: (ids) => this.getMany(ids),
    });
  }

  /** The shows that have shots, in every partition. */
  async shows(): Promise<string[]> {
    const all = await Promise.all(this.partitions.all.map((k) => this.store(k).shows()));
    return [...new Set(all.flat())].sort();
  }

  async count(state?: ShotState): Promise<number> {
    const counts = await Promise.all(this.partitions.all.map((k) => this.store(k).count(state)));
    return counts.reduce((a, b) => a + b, 0);
  }

  async progress(id: string): Promise<ShotcallerEvent | undefined> {
    return this.storeOfShot(id)?.progress(id);
  }

  async history(id: string): ReturnType<ShotStore['history']> {
    return (await this.storeOfShot(id)?.history(id)) ?? [];
  }

  submit(request: ShotRequest, actor: Actor): ReturnType<ShotCommands['submit']> {
    return this.commands(this.partitions.ofShow(request.show)).submit(request, actor);
  }

  revise(shotId: string, request: ShotRequest, actor: Actor): ReturnType<ShotCommands['revise']> {
    return this.commandsOfShot(shotId).revise(shotId, request, actor);
  }

  override(shotId: string, route: Route, reason: string, actor: Actor): Promise<ShotRecord> {
    return this.commandsOfShot(shotId).override(shotId, route, reason, actor);
  }

  cancel(shotId: string, reason: string, actor: Actor): Promise<ShotRecord> {
    return this.commandsOfShot(shotId).cancel(shotId, reason, actor);
  }

  retry(shotId: string, actor: Actor): Promise<ShotRecord> {
    return this.commandsOfShot(shotId).retry(shotId, actor);
  }

  approve(shotId: string, note: string, actor: Actor): Promise<ShotRecord> {
    return this.commandsOfShot(shotId).approve(shotId, note, actor);
  }

  reject(shotId: string, note: string, actor: Actor): Promise<ShotRecord> {
    return this.commandsOfShot(shotId).reject(shotId, note, actor);
  }
}
