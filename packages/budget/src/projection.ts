import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CurrencyMismatch, type Money, makeEvent, type ShotcallerEvent } from '@shotcaller/contracts';
import {
  appendEventLuaFunction,
  type EventLog,
  eventLogKeys,
  eventSource,
  type RedisClient,
} from '@shotcaller/events';
import type { Cluster, Redis, Result } from 'ioredis';
import { BudgetLine } from './budget-lines';
import { factOf } from './facts';
import { budgetKeys } from './keys';
import { type LedgerChange, type LineTotals, ledgerChange, lineTotalFields } from './ledger-change';
import { foldFacts, type LedgerRow } from './ledger-row';
import { type ProviderSpend, providerSpend } from './provider-spend';
import { decodeFacts, encodeFact, type StoredFact } from './stored-facts';

const lua = (name: string) => readFileSync(new URL(`./commands/${name}.lua`, import.meta.url), 'utf8');
const thresholds = lua('lib-thresholds');

declare module 'ioredis' {
  interface RedisCommander<Context> {
    scBudgetRecordFact(numberOfKeys: number, ...keysAndArgs: string[]): Result<string[], Context>;
    scBudgetConfigureLine(...keysAndArgs: string[]): Result<number, Context>;
  }
}

const installed = new WeakSet<object>();
function withScripts(redis: RedisClient): RedisClient {
  if (!installed.has(redis)) {
    // The number of keys varies with the lines a fact moves, so the caller gives it.
    redis.defineCommand('scBudgetRecordFact', {
      lua: appendEventLuaFunction + thresholds + lua('record-fact'),
    });
    redis.defineCommand('scBudgetConfigureLine', {
      numberOfKeys: 5,
      lua: appendEventLuaFunction + thresholds + lua('configure-line'),
    });
    installed.add(redis);
  }
  return redis;
}

/**
 * The ledger in Redis: per shot, the money facts of its events under their event ids (so an event
 * applied twice counts once), from which its row is folded, in time order whatever order they arrived
 * in, whenever it is read; per line, totals moved by each fact's difference to its shot's row, and
 * threshold crossings. Storing a fact is one atomic script that refuses if the facts changed since they
 * were read, so several consumers stay exact.
 */
export class BudgetProjection {
  readonly keys;
  /** Off while rebuilding: a replay brings threshold state up to date without alerting twice. */
  private emitThresholds = true;
  private readonly stream;
  private readonly redis: RedisClient;

  constructor(
    redis: RedisClient,
    private readonly deployment: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.redis = withScripts(redis);
    this.keys = budgetKeys(deployment);
    this.stream = eventLogKeys(deployment);
  }

  private get source(): string {
    return eventSource(this.deployment, 'budget');
  }

  /** Applies one event; idempotent and order-independent. */
  async apply(event: ShotcallerEvent): Promise<void> {
    if (event.type === 'io.shotcaller.budget.line.configured.v1') {
      const { lineId, show, episode, sequence, amount, thresholdsPercent } = event.data;
      await this.configureLine({
        id: lineId,
        show,
        ...(episode ? { episode } : {}),
        ...(sequence ? { sequence } : {}),
        amount,
        thresholdsPercent,
      });
      return;
    }
    const found = factOf(event);
    if (!found) return;
    const { shotId, fact } = found;
    const record = encodeFact(shotId, event.id, fact);
    for (let attempt = 0; attempt < 20; attempt++) {
      const stored = (await this.redis.get(this.keys.shotFacts(shotId))) ?? '';
      const facts = decodeFacts(shotId, stored);
      if (facts.some((f) => f.eventId === event.id)) return;
      const change = ledgerChange(
        shotId,
        facts.map((f) => f.fact),
        fact,
      );
      if (!change) return;
      const [outcome, lineCurrency] = await this.record(shotId, stored, record, change);
      if (outcome === 'ok') return;
      if (outcome === 'currency') throw new CurrencyMismatch(lineCurrency!, change.currency!);
    }
    throw new Error(`Budget facts of ${shotId} kept changing under concurrent writers; it will be retried`);
  }

  private record(shotId: string, stored: string, record: string, change: LedgerChange) {
    const keys = [this.keys.shotFacts(shotId), this.stream.stream, this.stream.ids];
    const args = [
      stored + record,
      String(Buffer.byteLength(stored)),
      shotId,
      change.joinShow === undefined ? '0' : '1',
      change.leaveShow === undefined ? '0' : '1',
      change.currency ?? '',
      this.source,
      this.clock().toISOString(),
      this.emitThresholds ? '1' : '0',
      String(change.lines.length),
    ];
    for (const line of change.lines) {
      keys.push(this.keys.lineState(line.lineId), this.stream.subject(line.lineId));
      args.push(line.lineId, ...lineTotalFields.map((f) => String(line[f])));
    }
    if (change.joinShow !== undefined) keys.push(this.keys.show(change.joinShow));
    if (change.leaveShow !== undefined) keys.push(this.keys.show(change.leaveShow));
    return this.redis.scBudgetRecordFact(keys.length, ...keys, ...args);
  }

  async configureLine(line: BudgetLine): Promise<void> {
    await this.redis.scBudgetConfigureLine(
      this.keys.lines,
      this.keys.lineState(line.id),
      this.stream.stream,
      this.stream.ids,
      this.stream.subject(line.id),
      line.id,
      JSON.stringify(BudgetLine.parse(line)),
      this.source,
      this.clock().toISOString(),
      this.emitThresholds ? '1' : '0',
    );
  }

  async lines(show?: string): Promise<BudgetLine[]> {
    const all = Object.values(await this.redis.hgetall(this.keys.lines)).map((j) =>
      BudgetLine.parse(JSON.parse(j)),
    );
    return all.filter((l) => show === undefined || l.show === show).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The stored facts of a show's shots. */
  private async factsOfShow(show: string): Promise<Array<{ shotId: string; facts: StoredFact[] }>> {
    const ids = await this.redis.smembers(this.keys.show(show));
    if (ids.length === 0) return [];
    const stored = await this.redis.mget(ids.map((id) => this.keys.shotFacts(id)));
    return ids.map((shotId, i) => ({ shotId, facts: decodeFacts(shotId, stored[i] ?? '') }));
  }

  /** A show's ledger rows, folded from their facts. */
  async rows(show: string): Promise<LedgerRow[]> {
    const [shots, lines] = await Promise.all([this.factsOfShow(show), this.lines()]);
    const currencies = new Map(lines.map((l) => [l.id, l.amount.currency]));
    const rows: LedgerRow[] = [];
    for (const { shotId, facts } of shots) {
      const row = foldFacts(
        shotId,
        facts.map((f) => f.fact),
      );
      // A row with no money yet shows its line's currency.
      if (row?.show === show)
        rows.push({ ...row, currency: row.currency ?? currencies.get(row.lineId) ?? 'USD' });
    }
    return rows.sort((a, b) => a.shotId.localeCompare(b.shotId));
  }

  async line(id: string): Promise<BudgetLine | undefined> {
    const json = await this.redis.hget(this.keys.lines, id);
    return json ? BudgetLine.parse(JSON.parse(json)) : undefined;
  }

  async row(shotId: string): Promise<LedgerRow | undefined> {
    const facts = decodeFacts(shotId, (await this.redis.get(this.keys.shotFacts(shotId))) ?? '');
    const row = foldFacts(
      shotId,
      facts.map((f) => f.fact),
    );
    if (!row) return undefined;
    const currency = row.currency ?? (await this.line(row.lineId))?.amount.currency ?? 'USD';
    return { ...row, currency };
  }

  /** Money spent on a show, one entry per usage or invoice fact, oldest first: the burn. */
  async spending(show: string): Promise<Array<{ at: string; amount: Money }>> {
    const out: Array<{ at: string; amount: Money }> = [];
    for (const { facts } of await this.factsOfShow(show))
      for (const { fact } of facts)
        if (fact.kind === 'usage' || fact.kind === 'invoiced') out.push({ at: fact.at, amount: fact.amount });
    return out.sort((a, b) => a.at.localeCompare(b.at));
  }

  /** What each genai provider of a show was paid, and what its failed, cancelled and timed-out attempts cost. */
  async providerSpend(show: string): Promise<ProviderSpend[]> {
    return providerSpend((await this.factsOfShow(show)).flatMap(({ facts }) => facts.map((f) => f.fact)));
  }

  /** A line's totals, kept as facts arrive; equal to a roll-up of its rows. */
  async lineTotals(lineId: string): Promise<LineTotals> {
    const state = await this.redis.hmget(this.keys.lineState(lineId), ...lineTotalFields);
    return Object.fromEntries(lineTotalFields.map((f, i) => [f, Number(state[i] ?? 0)])) as LineTotals;
  }

  /**
   * Deletes the whole projection (the log stays): `rebuild` replays it. On a Redis Cluster every master
   * is scanned, since a SCAN sent through the cluster client reaches one node only.
   */
  async drop(): Promise<void> {
    const nodes = this.redis.isCluster ? (this.redis as Cluster).nodes('master') : [this.redis as Redis];
    for (const node of nodes) {
      for await (const keys of node.scanStream({ match: `${this.keys.prefix}*`, count: 1000 })) {
        // One key per DEL: keys of several slots in one DEL would be refused on a cluster.
        const pipeline = node.pipeline();
        for (const key of keys as string[]) pipeline.del(key);
        for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
      }
    }
  }

  /** Drops the projection and replays the whole log into it. */
  async rebuild(log: EventLog): Promise<number> {
    await this.drop();
    let n = 0;
    this.emitThresholds = false;
    try {
      for await (const { event } of log.replay()) {
        await this.apply(event);
        n++;
      }
    } finally {
      this.emitThresholds = true;
    }
    return n;
  }
}

/** Appends budget-line events from a parsed budget-lines file (an accountant's YAML). */
export async function seedBudgetLines(
  log: EventLog,
  lines: readonly BudgetLine[],
  by: string,
  source: string,
): Promise<void> {
  await log.appendMany(
    lines.map((l) =>
      makeEvent(
        'io.shotcaller.budget.line.configured.v1',
        {
          lineId: l.id,
          show: l.show,
          ...(l.episode ? { episode: l.episode } : {}),
          ...(l.sequence ? { sequence: l.sequence } : {}),
          amount: l.amount,
          thresholdsPercent: l.thresholdsPercent,
          by,
        },
        // The id is the line's content: seeding the same file again appends nothing.
        {
          source,
          correlationId: l.id,
          show: l.show,
          id: `budget-line-${l.id}-${createHash('sha256').update(JSON.stringify(l)).digest('hex').slice(0, 16)}`,
        },
      ),
    ),
  );
}
