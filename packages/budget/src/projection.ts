import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CurrencyMismatch, type Money, makeEvent, type ShotcallerEvent } from '@shotcaller/contracts';
import { appendEventLuaFunction, type EventLog, eventLogKeys, type RedisClient } from '@shotcaller/events';
import type { Result } from 'ioredis';
import { BudgetLine } from './budget-lines';
import { Fact, factOf } from './facts';
import { budgetKeys } from './keys';
import { foldRow, LedgerRow } from './ledger-row';
import { type ProviderSpend, providerSpend } from './provider-spend';

const lua = (name: string) => readFileSync(new URL(`./commands/${name}.lua`, import.meta.url), 'utf8');
const thresholds = lua('lib-thresholds');

declare module 'ioredis' {
  interface RedisCommander<Context> {
    scBudgetWriteRow(...keysAndArgs: string[]): Result<string, Context>;
    scBudgetConfigureLine(...keysAndArgs: string[]): Result<number, Context>;
  }
}

const installed = new WeakSet<object>();
function withScripts(redis: RedisClient): RedisClient {
  if (!installed.has(redis)) {
    redis.defineCommand('scBudgetWriteRow', {
      numberOfKeys: 9,
      lua: appendEventLuaFunction + thresholds + lua('write-row'),
    });
    redis.defineCommand('scBudgetConfigureLine', {
      numberOfKeys: 6,
      lua: appendEventLuaFunction + thresholds + lua('configure-line'),
    });
    installed.add(redis);
  }
  return redis;
}

/**
 * The ledger in Redis: facts per shot (stored under their event id, so an event applied twice counts
 * once), a row per shot folded from all its facts (so arrival order does not matter), line totals moved
 * by each row's difference, and threshold crossings: each write one atomic script.
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
    return `/shotcaller/${this.deployment}/budget`;
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
    await this.redis.hsetnx(this.keys.facts(found.shotId), event.id, JSON.stringify(found.fact));
    await this.refresh(found.shotId);
  }

  /** Re-folds a shot's row from its facts and writes it, again if another consumer added a fact meanwhile. */
  private async refresh(shotId: string): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const raw = await this.redis.hgetall(this.keys.facts(shotId));
      const facts = Object.values(raw).map((json) => Fact.parse(JSON.parse(json)));
      const lineCurrency = await this.lineCurrencyOf(facts);
      const row = foldRow(shotId, facts, lineCurrency ?? 'USD');
      // The submitted event has not arrived yet: the row is written when it does.
      if (!row) return;
      if (lineCurrency && row.currency !== lineCurrency)
        throw new CurrencyMismatch(lineCurrency, row.currency);
      const reply = await this.redis.scBudgetWriteRow(
        this.keys.facts(shotId),
        this.keys.rows,
        this.keys.lineTotals(row.lineId),
        this.keys.lines,
        this.keys.lineThresholds(row.lineId),
        this.stream.stream,
        this.stream.ids,
        this.stream.subject(row.lineId),
        this.keys.show(row.show),
        shotId,
        String(Object.keys(raw).length),
        JSON.stringify(row),
        String(row.efc),
        String(row.estimate),
        String(row.committed),
        String(row.actual),
        String(row.etc),
        row.lineId,
        this.source,
        this.clock().toISOString(),
        this.emitThresholds ? '1' : '0',
      );
      if (reply === 'ok') return;
    }
    throw new Error(`Budget row of ${shotId} kept changing under concurrent writers; it will be retried`);
  }

  private async lineCurrencyOf(facts: Fact[]): Promise<string | undefined> {
    const submitted = facts.find((f) => f.kind === 'submitted');
    if (submitted?.kind !== 'submitted') return undefined;
    const json = await this.redis.hget(this.keys.lines, submitted.lineId);
    return json ? (JSON.parse(json) as BudgetLine).amount.currency : undefined;
  }

  async configureLine(line: BudgetLine): Promise<void> {
    await this.redis.scBudgetConfigureLine(
      this.keys.lines,
      this.keys.lineTotals(line.id),
      this.keys.lineThresholds(line.id),
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

  /** Ledger rows, of one show or all. */
  async rows(show?: string): Promise<LedgerRow[]> {
    let json: string[];
    if (show) {
      const ids = await this.redis.smembers(this.keys.show(show));
      json = ids.length ? ((await this.redis.hmget(this.keys.rows, ...ids)).filter(Boolean) as string[]) : [];
    } else json = Object.values(await this.redis.hgetall(this.keys.rows));
    return json.map((j) => LedgerRow.parse(JSON.parse(j))).sort((a, b) => a.shotId.localeCompare(b.shotId));
  }

  async line(id: string): Promise<BudgetLine | undefined> {
    const json = await this.redis.hget(this.keys.lines, id);
    return json ? BudgetLine.parse(JSON.parse(json)) : undefined;
  }

  async row(shotId: string): Promise<LedgerRow | undefined> {
    const json = await this.redis.hget(this.keys.rows, shotId);
    return json ? LedgerRow.parse(JSON.parse(json)) : undefined;
  }

  /** Money spent on a show, one entry per usage or invoice fact, oldest first: the burn. */
  async spending(show: string): Promise<Array<{ at: string; amount: Money }>> {
    const out: Array<{ at: string; amount: Money }> = [];
    for (const fact of await this.showFacts(show))
      if (fact.kind === 'usage' || fact.kind === 'invoiced') out.push({ at: fact.at, amount: fact.amount });
    return out.sort((a, b) => a.at.localeCompare(b.at));
  }

  /** What each genai provider of a show was paid, and what its failed, cancelled and timed-out attempts cost. */
  async providerSpend(show: string): Promise<ProviderSpend[]> {
    return providerSpend(await this.showFacts(show));
  }

  /** Every fact of every shot of a show: one round trip. */
  private async showFacts(show: string): Promise<Fact[]> {
    const ids = await this.redis.smembers(this.keys.show(show));
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.facts(id));
    const out: Fact[] = [];
    for (const [error, raw] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      for (const json of Object.values(raw as Record<string, string>)) out.push(Fact.parse(JSON.parse(json)));
    }
    return out;
  }

  /** The line totals kept incrementally; equal to a roll-up of the rows by line. */
  async lineTotals(lineId: string): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.keys.lineTotals(lineId));
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  /** Deletes the whole projection (the log stays): `rebuild` replays it. */
  async drop(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await (this.redis as import('ioredis').Redis).scan(
        cursor,
        'MATCH',
        `${this.keys.prefix}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length) await this.redis.del(...keys);
    } while (cursor !== '0');
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
