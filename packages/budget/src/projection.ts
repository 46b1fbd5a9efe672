import { readFileSync } from 'node:fs';
import {
  type BudgetLineVersions,
  type FxRate,
  type Money,
  makeEvent,
  type ProviderSpend,
  type ShotcallerEvent,
} from '@shotcaller/contracts';
import {
  appendEventLuaFunction,
  EventLog,
  eventLogKeys,
  eventSource,
  type RedisClient,
} from '@shotcaller/events';
import type { Cluster, Redis, Result } from 'ioredis';
import { BudgetLine } from './budget-lines';
import { compareVersions, type LineVersion, versionBudget } from './budget-versions';
import { factOf, factTypes } from './facts';
import type { FxRates } from './fx';
import { FxStore, type HeldRate } from './fx-store';
import { budgetKeys } from './keys';
import {
  factsWorthStoring,
  type LedgerChange,
  type LineTotals,
  ledgerChange,
  lineTotalFields,
  zeroTotals,
} from './ledger-change';
import { ratesVersionOf } from './ledger-clock';
import { type FoldedRow, foldFacts, type LedgerRow, type RowMoney } from './ledger-row';
import { LineVersionStore } from './line-version-store';
import { providerSpend } from './provider-spend';
import { decodeFacts, encodeFact, type StoredFact } from './stored-facts';

const lua = (name: string) => readFileSync(new URL(`./commands/${name}.lua`, import.meta.url), 'utf8');
const thresholds = lua('lib-thresholds');

declare module 'ioredis' {
  interface RedisCommander<Context> {
    scBudgetRecordFacts(numberOfKeys: number, ...keysAndArgs: string[]): Result<string[], Context>;
    scBudgetConfigureLine(...keysAndArgs: string[]): Result<number, Context>;
    scBudgetRecordRates(...keysAndArgs: string[]): Result<string[], Context>;
    scBudgetSetLineTotals(numberOfKeys: number, ...keysAndArgs: string[]): Result<string[], Context>;
    scBudgetSetIfLater(...keysAndArgs: string[]): Result<number, Context>;
  }
}

/** Every event type the ledger applies: the facts, and the budget's own configuration and rates. */
export const ledgerEventTypes: ReadonlySet<string> = new Set([
  ...factTypes,
  ...([
    'io.shotcaller.budget.line.configured.v1',
    'io.shotcaller.budget.fx-rates.recorded.v1',
    'io.shotcaller.budget.line.version.recorded.v1',
    'io.shotcaller.budget.line.version.selected.v1',
  ] satisfies ReadonlyArray<ShotcallerEvent['type']>),
]);

/** A fact on its way in; `aboutShot` when its event is indexed under the shot, so the log can be asked for it. */
type IncomingFact = StoredFact & { aboutShot: boolean };

/** A shot's new facts, folded and ready to store (see record-facts.lua). */
interface FactsWrite {
  shotId: string;
  /** The facts as read (or guessed), which the script checks are still there. */
  stored: string;
  /** The new facts, encoded. */
  records: string;
  /** The rates version the facts were folded with. */
  version: string;
  change: LedgerChange;
  lineIds: string[];
  /** Every fact of the shot once stored, decoded. */
  facts: StoredFact[];
  /** Ids of the new facts' events, to find in the shot's index. */
  inLog: string[];
}

function incomingFact(
  event: ShotcallerEvent,
  found: { shotId: string; fact: StoredFact['fact'] },
): IncomingFact {
  return { eventId: event.id, fact: found.fact, aboutShot: event.subject === found.shotId };
}

const installed = new WeakSet<object>();
function withScripts(redis: RedisClient): RedisClient {
  if (!installed.has(redis)) {
    // The number of keys varies with the lines a fact moves, so the caller gives it.
    redis.defineCommand('scBudgetRecordFacts', {
      lua: appendEventLuaFunction + thresholds + lua('record-facts'),
    });
    redis.defineCommand('scBudgetConfigureLine', {
      numberOfKeys: 5,
      lua: appendEventLuaFunction + thresholds + lua('configure-line'),
    });
    redis.defineCommand('scBudgetRecordRates', { numberOfKeys: 2, lua: lua('record-rates') });
    redis.defineCommand('scBudgetSetIfLater', { numberOfKeys: 1, lua: lua('set-if-later') });
    redis.defineCommand('scBudgetSetLineTotals', {
      lua: appendEventLuaFunction + thresholds + lua('set-line-totals'),
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
  private readonly log: EventLog;
  private readonly fx: FxStore;
  private readonly lineVersions: LineVersionStore;
  /** Line id → its currency (undefined: not configured), as last read; the scripts check it. */
  private readonly lineCurrencies = new Map<string, string | undefined>();
  /**
   * What this projection last stored of a shot's facts, and the rates version it last saw: a guess
   * that saves reading them before storing the next fact. The script stores only if the guess is what
   * Redis holds (it compares the whole of it), so a wrong guess costs a read and a retry, never a
   * wrong figure. Bounded: the shots of the last few thousand facts.
   */
  private readonly lastStored = new Map<string, { stored: string; facts: StoredFact[] }>();
  private ratesVersionSeen: string | undefined;

  constructor(
    redis: RedisClient,
    private readonly deployment: string,
    private readonly clock: () => Date = () => new Date(),
    /** Told of a fact not counted because its event is not in the log (lost in a failover), for logging. */
    private readonly onLostEvent?: (lost: { shotId: string; eventId: string }) => void,
  ) {
    this.redis = withScripts(redis);
    this.keys = budgetKeys(deployment);
    this.stream = eventLogKeys(deployment);
    this.log = new EventLog(redis, { deployment });
    this.fx = new FxStore(this.redis, this.keys);
    this.lineVersions = new LineVersionStore(this.redis, this.keys);
  }

  private ratesOf(version: string): Promise<FxRates> {
    return this.fx.table(version);
  }

  /** How rows of these lines convert their money, with the lines' currencies read where not known. */
  private async moneyFor(lineIds: Iterable<string>, version: string): Promise<RowMoney> {
    const unknown = [...new Set(lineIds)].filter((id) => !this.lineCurrencies.has(id));
    if (unknown.length > 0) {
      const json = await this.redis.hmget(this.keys.lines, ...unknown);
      unknown.forEach((id, i) => {
        this.lineCurrencies.set(
          id,
          json[i] ? BudgetLine.parse(JSON.parse(json[i]!)).amount.currency : undefined,
        );
      });
    }
    return { currencyOf: (id) => this.lineCurrencies.get(id), rates: await this.ratesOf(version) };
  }

  /** The rates version now, and the rows' money rules with every configured line's currency. */
  private async currentMoney(): Promise<{ version: string; money: RowMoney }> {
    const version = ratesVersionOf(await this.redis.get(this.keys.clock));
    const lines = await this.lines();
    const currencies = new Map(lines.map((l) => [l.id, l.amount.currency]));
    return { version, money: { currencyOf: (id) => currencies.get(id), rates: await this.ratesOf(version) } };
  }

  private get source(): string {
    return eventSource(this.deployment, 'budget');
  }

  /** Applies one event; idempotent and order-independent. */
  async apply(event: ShotcallerEvent): Promise<void> {
    if (event.type === 'io.shotcaller.budget.line.configured.v1') {
      const { lineId, show, episode, sequence, amount, thresholdsPercent } = event.data;
      const before = await this.line(lineId);
      await this.configureLine({
        id: lineId,
        show,
        ...(episode ? { episode } : {}),
        ...(sequence ? { sequence } : {}),
        amount,
        thresholdsPercent,
      });
      // The line now reports in another currency: its rows convert into it, and its totals are made again.
      if (before && before.amount.currency !== amount.currency && !this.rebuilding) await this.retotal();
      return;
    }
    if (event.type === 'io.shotcaller.budget.fx-rates.recorded.v1') {
      await this.recordRates(event.data.rates, event.time, event.id);
      return;
    }
    if (event.type === 'io.shotcaller.budget.line.version.recorded.v1') {
      const { lineId, version, amount, current, by, note } = event.data;
      const record: LineVersion = { version, amount, at: event.time, by, note, eventId: event.id };
      await this.lineVersions.record(lineId, record);
      if (current) await this.lineVersions.select(lineId, { version, at: event.time, eventId: event.id, by });
      await this.budgetFromCurrentVersion(lineId);
      return;
    }
    if (event.type === 'io.shotcaller.budget.line.version.selected.v1') {
      const { lineId, version, by } = event.data;
      await this.lineVersions.select(lineId, { version, at: event.time, eventId: event.id, by });
      await this.budgetFromCurrentVersion(lineId);
      return;
    }
    const found = factOf(event);
    if (found) await this.storeFacts([[found.shotId, [incomingFact(event, found)]]]);
  }

  /**
   * Applies a batch of events as {@link apply} would one by one, but folds each shot's facts in the
   * batch once and stores every shot's in one script, rather than one each. Events that are not facts
   * (a line configured, rates recorded) are applied in their place, after the facts before them.
   */
  async applyMany(events: readonly ShotcallerEvent[]): Promise<void> {
    let waiting = new Map<string, IncomingFact[]>();
    const storeWaiting = async () => {
      if (waiting.size > 0) await this.storeFacts([...waiting]);
      waiting = new Map();
    };
    for (const event of events) {
      const found = factOf(event);
      if (!found) {
        await storeWaiting();
        await this.apply(event);
        continue;
      }
      const facts = waiting.get(found.shotId) ?? waiting.set(found.shotId, []).get(found.shotId)!;
      facts.push(incomingFact(event, found));
    }
    await storeWaiting();
  }

  /**
   * Stores the facts of these shots not yet stored, and moves their lines' totals by what they change:
   * one script for all of them, and again for those it refused (facts changed meanwhile, a line's
   * currency changed, an event the log lost) once they are read and folded again.
   */
  private async storeFacts(batch: ReadonlyArray<[string, readonly IncomingFact[]]>): Promise<void> {
    let waiting = batch.map(([shotId, incoming]) => ({ shotId, incoming }));
    for (let attempt = 0; attempt < 20 && waiting.length > 0; attempt++) {
      const again: typeof waiting = [];
      const writes: Array<FactsWrite & { item: (typeof waiting)[number] }> = [];
      await Promise.all(
        waiting.map(async (item) => {
          const write = await this.fold(item.shotId, item.incoming, attempt === 0);
          if (write === 'read again') again.push(item);
          else if (write) writes.push({ ...write, item });
        }),
      );
      // One script per rates version the writes were folded with (almost always one).
      const byVersion = new Map<string, typeof writes>();
      for (const w of writes) {
        const group = byVersion.get(w.version);
        if (group) group.push(w);
        else byVersion.set(w.version, [w]);
      }
      for (const [version, group] of byVersion) {
        const answers = await this.record(group, version);
        for (const [i, write] of group.entries()) {
          const [outcome, detail] = [answers[2 * i], answers[2 * i + 1]];
          const { shotId, change } = write;
          if (outcome === 'ok') {
            this.remember(shotId, write.stored + write.records, write.facts, version);
            if (change.newlyMissing && this.emitThresholds) await this.announceMissing(shotId, change);
            continue;
          }
          if (outcome === 'lost') {
            this.onLostEvent?.({ shotId, eventId: detail! });
            write.item.incoming = write.item.incoming.filter((f) => f.eventId !== detail);
          } else {
            this.lastStored.delete(shotId);
            this.ratesVersionSeen = undefined;
            // The line's currency changed since it was read: read it again and fold again.
            if (outcome === 'currency') for (const id of write.lineIds) this.lineCurrencies.delete(id);
          }
          again.push(write.item);
        }
      }
      waiting = again.filter((item) => item.incoming.length > 0);
    }
    if (waiting.length > 0)
      throw new Error(
        `Budget facts of ${waiting.map((w) => w.shotId).join(', ')} kept changing under concurrent writers; they will be retried`,
      );
  }

  /**
   * One shot's new facts folded with what it holds (as guessed from this projection's last write, when
   * `mayGuess`, or as read): the write to make, nothing (`undefined`) when they change nothing, or
   * `read again` when that was decided on a guess: doing nothing is decided on what Redis holds.
   */
  private async fold(
    shotId: string,
    incoming: readonly IncomingFact[],
    mayGuess: boolean,
  ): Promise<FactsWrite | 'read again' | undefined> {
    const guessed = mayGuess ? this.guess(shotId, incoming[0]!.fact.kind) : undefined;
    const { stored, version } = guessed ?? (await this.read(shotId));
    // A guess comes with its facts decoded: decoding them again is most of a fold's work.
    const decoded = guessed?.facts ?? decodeFacts(shotId, stored);
    const facts = decoded.map((f) => f.fact);
    const known = new Set(decoded.map((f) => f.eventId));
    const fresh = incoming.filter(
      (f, i) => !known.has(f.eventId) && incoming.findIndex((g) => g.eventId === f.eventId) === i,
    );
    const kept = factsWorthStoring(facts, fresh, (f) => f.fact);
    const lineIds = [...facts, ...kept.map((f) => f.fact)].flatMap((f) =>
      f.kind === 'submitted' ? [f.lineId] : [],
    );
    const change =
      kept.length === 0
        ? undefined
        : ledgerChange(
            shotId,
            facts,
            kept.map((f) => f.fact),
            await this.moneyFor(lineIds, version),
          );
    if (!change) return guessed ? 'read again' : undefined;
    return {
      shotId,
      stored,
      version,
      change,
      lineIds,
      records: kept.map((f) => encodeFact(shotId, f.eventId, f.fact)).join(''),
      facts: [...decoded, ...kept.map(({ eventId, fact }) => ({ eventId, fact }))],
      inLog: kept.flatMap((f) => (f.aboutShot ? [f.eventId] : [])),
    };
  }

  /** A shot's stored facts and the rates version, as Redis has them now. */
  private async read(shotId: string): Promise<{ stored: string; version: string }> {
    const [stored, clock] = await this.redis.mget(this.keys.shotFacts(shotId), this.keys.clock);
    return { stored: stored ?? '', version: ratesVersionOf(clock) };
  }

  /** What Redis most likely holds, without asking: the last write of this shot, or none for a new one. */
  private guess(
    shotId: string,
    kind: string,
  ): { stored: string; facts: StoredFact[]; version: string } | undefined {
    if (this.ratesVersionSeen === undefined) return undefined;
    const last =
      this.lastStored.get(shotId) ?? (kind === 'submitted' ? { stored: '', facts: [] } : undefined);
    return last && { ...last, version: this.ratesVersionSeen };
  }

  private remember(shotId: string, stored: string, facts: StoredFact[], version: string): void {
    this.lastStored.delete(shotId);
    this.lastStored.set(shotId, { stored, facts });
    if (this.lastStored.size > 5_000) this.lastStored.delete(this.lastStored.keys().next().value!);
    this.ratesVersionSeen = version;
  }

  /** One alert per missing rate and shot, however often the shot's facts are folded. */
  private async announceMissing(shotId: string, change: LedgerChange): Promise<void> {
    const { show, lineId, rates } = change.newlyMissing!;
    await this.log.appendMany(
      rates.map((r) =>
        makeEvent(
          'io.shotcaller.budget.fx-rate.missing.v1',
          { show, lineId, shotId, ...r },
          {
            source: this.source,
            correlationId: shotId,
            subject: lineId,
            show,
            time: this.clock(),
            id: `budget-fx-missing-${shotId}-${r.from}-${r.to}-${r.date}`,
          },
        ),
      ),
    );
  }

  /** Records the rates of one event; when any changed, the lines' totals are made again at the new rates. */
  async recordRates(rates: readonly FxRate[], at: string, eventId: string) {
    const changed = await this.fx.record(rates, at, eventId);
    if (changed.length > 0 && !this.rebuilding) await this.retotal();
    return changed;
  }

  private rebuilding = false;

  /**
   * Sets every line's totals to the roll-up of its rows at the current rates and lines. Facts store
   * totals moved by the rates known then; a rate that arrives or is corrected later moves rows already
   * stored, and this puts the totals (and the thresholds) right.
   */
  async retotal(): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const clock = (await this.redis.get(this.keys.clock)) ?? '0';
      const version = ratesVersionOf(clock);
      const rates = await this.ratesOf(version);
      const lines = await this.lines();
      const currencies = new Map(lines.map((l) => [l.id, l.amount.currency]));
      const money: RowMoney = { currencyOf: (id) => currencies.get(id), rates };
      const totals = new Map<string, LineTotals>();
      for (const l of lines) totals.set(l.id, zeroTotals());
      for (const { shotId, facts } of await this.allFacts()) {
        const row = foldFacts(
          shotId,
          facts.map((f) => f.fact),
          money,
        );
        if (!row) continue;
        const t = totals.get(row.lineId) ?? zeroTotals();
        t.shots += 1;
        for (const f of lineTotalFields) if (f !== 'shots') t[f] += row[f];
        totals.set(row.lineId, t);
      }
      const keys = [this.keys.clock, this.stream.stream, this.stream.ids];
      const args = [
        clock,
        this.source,
        this.clock().toISOString(),
        this.emitThresholds ? '1' : '0',
        String(totals.size),
      ];
      for (const [lineId, t] of totals) {
        keys.push(this.keys.lineState(lineId), this.stream.subject(lineId));
        args.push(lineId, ...lineTotalFields.map((f) => String(t[f])));
      }
      const [outcome] = await this.redis.scBudgetSetLineTotals(keys.length, ...keys, ...args);
      if (outcome === 'ok') {
        this.lineCurrencies.clear();
        return;
      }
    }
    throw new Error('The ledger kept changing while its line totals were made again; it will be retried');
  }

  /** Every shot's stored facts, of every show of this deployment. */
  private async allFacts(): Promise<Array<{ shotId: string; facts: StoredFact[] }>> {
    const showKeys: string[] = [];
    for (const node of this.masters())
      for await (const keys of node.scanStream({ match: `${this.keys.prefix}show:*`, count: 1000 }))
        showKeys.push(...(keys as string[]));
    const ids = new Set<string>();
    for (const key of showKeys) for (const id of await this.redis.smembers(key)) ids.add(id);
    const shotIds = [...ids];
    const out: Array<{ shotId: string; facts: StoredFact[] }> = [];
    for (let i = 0; i < shotIds.length; i += 500) {
      const chunk = shotIds.slice(i, i + 500);
      const stored = await this.redis.mget(chunk.map((id) => this.keys.shotFacts(id)));
      chunk.forEach((shotId, j) => {
        out.push({ shotId, facts: decodeFacts(shotId, stored[j] ?? '') });
      });
    }
    return out;
  }

  private masters(): Redis[] {
    return this.redis.isCluster ? (this.redis as Cluster).nodes('master') : [this.redis as Redis];
  }

  /** Makes the writes, folded with rates `version`, in one script; two answers per write (see record-facts.lua). */
  private record(writes: readonly FactsWrite[], version: string) {
    const keys = [this.stream.stream, this.stream.ids, this.keys.clock];
    const args = [
      this.source,
      this.clock().toISOString(),
      this.emitThresholds ? '1' : '0',
      version,
      String(writes.length),
    ];
    for (const { shotId, stored, records, change, inLog } of writes) {
      keys.push(this.keys.shotFacts(shotId), this.stream.subject(shotId), this.stream.legacySubject(shotId));
      args.push(
        stored + records,
        String(Buffer.byteLength(stored)),
        shotId,
        change.joinShow === undefined ? '0' : '1',
        change.leaveShow === undefined ? '0' : '1',
        change.currency ?? '',
        inLog.join('\n'),
        String(change.lines.length),
      );
      for (const line of change.lines) {
        keys.push(this.keys.lineState(line.lineId), this.stream.subject(line.lineId));
        args.push(line.lineId, ...lineTotalFields.map((f) => String(line[f])));
      }
      if (change.joinShow !== undefined) keys.push(this.keys.show(change.joinShow));
      if (change.leaveShow !== undefined) keys.push(this.keys.show(change.leaveShow));
    }
    return this.redis.scBudgetRecordFacts(keys.length, ...keys, ...args);
  }

  /** A line's versions and which is current. */
  versions(lineId: string) {
    return this.lineVersions.read(lineId);
  }

  /** Every version of a show's lines beside each line's EFC, in the line's currency. */
  async versionComparisons(show: string, efcOf: (lineId: string) => number): Promise<BudgetLineVersions[]> {
    const [lines, { money }] = await Promise.all([this.lines(show), this.currentMoney()]);
    const out = [];
    for (const line of lines) {
      const { versions, current } = await this.versions(line.id);
      if (versions.length === 0) continue;
      const efc = efcOf(line.id);
      out.push({
        lineId: line.id,
        currency: line.amount.currency,
        efc,
        currentVersion: current?.version ?? null,
        versions: compareVersions(versions, current?.version, line.amount.currency, efc, money.rates!),
      });
    }
    return out;
  }

  /**
   * The current version is the line's budget: its amount, converted at the rate of the version's day,
   * becomes the line's amount (thresholds and variance follow). A version whose rate is missing leaves
   * the budget as it was: select the version again once its rate is recorded.
   */
  private async budgetFromCurrentVersion(lineId: string): Promise<void> {
    const [line, { versions, current }] = await Promise.all([this.line(lineId), this.versions(lineId)]);
    const chosen = current && versions.find((v) => v.version === current.version);
    if (!line || !chosen) return;
    const version = ratesVersionOf(await this.redis.get(this.keys.clock));
    const budget = versionBudget(chosen, line.amount.currency, await this.ratesOf(version));
    if (!('amountMinor' in budget) || budget.amountMinor === line.amount.amountMinor) return;
    await this.configureLine({
      ...line,
      amount: { amountMinor: budget.amountMinor, currency: line.amount.currency },
    });
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
    const [shots, { money }] = await Promise.all([this.factsOfShow(show), this.currentMoney()]);
    const rows: LedgerRow[] = [];
    for (const { shotId, facts } of shots) {
      const row = foldFacts(
        shotId,
        facts.map((f) => f.fact),
        money,
      );
      if (row?.show === show) rows.push(withCurrency(row, 'USD'));
    }
    return rows.sort((a, b) => a.shotId.localeCompare(b.shotId));
  }

  /** The exchange rates the ledger holds, oldest day first. */
  fxRates(): Promise<HeldRate[]> {
    return this.fx.held();
  }

  async line(id: string): Promise<BudgetLine | undefined> {
    const json = await this.redis.hget(this.keys.lines, id);
    return json ? BudgetLine.parse(JSON.parse(json)) : undefined;
  }

  async row(shotId: string): Promise<LedgerRow | undefined> {
    const facts = decodeFacts(shotId, (await this.redis.get(this.keys.shotFacts(shotId))) ?? '');
    const { money } = await this.currentMoney();
    const row = foldFacts(
      shotId,
      facts.map((f) => f.fact),
      money,
    );
    return row && withCurrency(row, 'USD');
  }

  /** Money spent on a show, one entry per usage or invoice fact, oldest first: the burn. */
  async spending(show: string): Promise<Array<{ at: string; amount: Money }>> {
    const [shots, { money }] = await Promise.all([this.factsOfShow(show), this.currentMoney()]);
    const out: Array<{ at: string; amount: Money }> = [];
    for (const { facts } of shots) {
      const lineId = facts.findLast((f) => f.fact.kind === 'submitted')?.fact;
      const currency = lineId?.kind === 'submitted' ? money.currencyOf?.(lineId.lineId) : undefined;
      for (const { fact } of facts) {
        if (fact.kind !== 'usage' && fact.kind !== 'invoiced') continue;
        // In the line's currency where a rate has it; a cost without a rate is not spend yet.
        const to = currency ?? fact.amount.currency;
        const c = money.rates!.convert(fact.amount, to, fact.at);
        if ('amountMinor' in c)
          out.push({ at: fact.at, amount: { amountMinor: c.amountMinor, currency: to } });
      }
    }
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
    this.lineCurrencies.clear();
    this.lastStored.clear();
    this.ratesVersionSeen = undefined;
    this.fx.forget();
    for (const node of this.masters()) {
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
    this.rebuilding = true;
    try {
      // In chunks, so a chunk's facts are folded once per shot and stored with one script.
      let chunk: ShotcallerEvent[] = [];
      for await (const { event } of log.replay()) {
        chunk.push(event);
        n++;
        if (chunk.length === 500) {
          await this.applyMany(chunk);
          chunk = [];
        }
      }
      await this.applyMany(chunk);
      // Facts replayed before a rate they need was: one re-total at the end puts every line right.
      await this.retotal();
    } finally {
      this.emitThresholds = true;
      this.rebuilding = false;
    }
    return n;
  }
}

/** A folded row with its currency settled: a row with no money and no configured line shows `fallback`. */
function withCurrency(row: FoldedRow, fallback: string): LedgerRow {
  return { ...row, currency: row.currency ?? fallback };
}
