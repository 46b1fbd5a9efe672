import type { FxRate } from '@shotcaller/contracts';
import type { RedisClient } from '@shotcaller/events';
import { FxRates } from './fx';
import type { BudgetKeys } from './keys';
import { ratesVersionStep } from './ledger-clock';

/** A rate as the ledger holds it, with the event that set it. */
export type HeldRate = FxRate & { recordedAt: string; eventId: string };

/**
 * The ledger's exchange rates in Redis (see record-rates.lua): recorded from rate events, read back as a
 * table that is cached until the rates version moves. `redis` has the budget scripts defined.
 */
export class FxStore {
  private cached = { version: '', table: new FxRates([]) };

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: BudgetKeys,
  ) {}

  /** Records one event's rates; answers the ones that changed: field, before ('' if new), after, … */
  record(rates: readonly FxRate[], at: string, eventId: string): Promise<string[]> {
    const args = rates.flatMap((r) => [`${r.from}:${r.to}:${r.date}`, r.rate]);
    return this.redis.scBudgetRecordRates(
      this.keys.fxRates,
      this.keys.clock,
      at,
      eventId,
      String(ratesVersionStep),
      ...args,
    );
  }

  /** The table of a rates version, read from Redis when the version is not the one in hand. */
  async table(version: string): Promise<FxRates> {
    if (this.cached.version !== version) {
      const table = new FxRates(await this.held());
      this.cached = { version, table };
    }
    return this.cached.table;
  }

  /** Every rate held, oldest day first. */
  async held(): Promise<HeldRate[]> {
    const stored = await this.redis.hgetall(this.keys.fxRates);
    return Object.entries(stored)
      .map(([field, json]) => {
        const [from, to, date] = field.split(':') as [string, string, string];
        const v = JSON.parse(json) as { rate: string; at: string; id: string };
        return { date, from, to, rate: v.rate, recordedAt: v.at, eventId: v.id };
      })
      .sort((a, b) => `${a.date}${a.from}${a.to}`.localeCompare(`${b.date}${b.from}${b.to}`));
  }

  /** Drops the cached table (the projection was dropped). */
  forget(): void {
    this.cached = { version: '', table: new FxRates([]) };
  }
}
