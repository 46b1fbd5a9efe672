import type { RedisClient } from '@shotcaller/events';
import { CurrentVersion, LineVersion } from './budget-versions';
import type { BudgetKeys } from './keys';

/**
 * A line's budget versions in Redis, one hash per line: `v:<name>` → the version, `current` → which is
 * current. Each is set by set-if-later.lua, so the latest event wins whatever order events arrive in.
 * `redis` has the budget scripts defined.
 */
export class LineVersionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: BudgetKeys,
  ) {}

  record(lineId: string, version: LineVersion): Promise<number> {
    return this.set(lineId, `v:${version.version}`, version);
  }

  select(lineId: string, current: CurrentVersion): Promise<number> {
    return this.set(lineId, 'current', current);
  }

  /** A line's versions and which is current. */
  async read(lineId: string): Promise<{ versions: LineVersion[]; current?: CurrentVersion }> {
    const stored = await this.redis.hgetall(this.keys.lineVersions(lineId));
    const versions = Object.entries(stored)
      .filter(([f]) => f.startsWith('v:'))
      .map(([, json]) => LineVersion.parse(JSON.parse(json)));
    const current = stored.current ? CurrentVersion.parse(JSON.parse(stored.current)) : undefined;
    return { versions, ...(current ? { current } : {}) };
  }

  private set(lineId: string, field: string, record: LineVersion | CurrentVersion): Promise<number> {
    return this.redis.scBudgetSetIfLater(
      this.keys.lineVersions(lineId),
      field,
      record.at,
      record.eventId,
      JSON.stringify(record),
    );
  }
}
