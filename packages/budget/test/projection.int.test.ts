import { BudgetProjection, parseBudgetLines } from '@shotcaller/budget';
import type { ShotcallerEvent } from '@shotcaller/contracts';
import { EventLog, eventLogKeys } from '@shotcaller/events';
import { testRedis } from '@shotcaller/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { plannedShot } from './events';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function setup() {
  const { redis, deployment } = testRedis();
  cleanups.push(() => redis.disconnect());
  const log = new EventLog(redis, { deployment });
  // The ledger counts only events the log holds (see 'a fact whose event the log lost'): these shots'
  // events are in it, as the budget consumer would find them.
  const logged = async (...shots: Array<{ events: readonly ShotcallerEvent[] }>) => {
    for (const shot of shots) await log.appendMany(shot.events);
  };
  return { redis, deployment, log, logged };
}

/** A line's totals when its only shot has this row. */
const totalsOfOneShot = (row: {
  estimate: number;
  committed: number;
  actual: number;
  etc: number;
  efc: number;
}) => ({
  shots: 1,
  estimate: row.estimate,
  committed: row.committed,
  actual: row.actual,
  etc: row.etc,
  efc: row.efc,
});

const line = (yaml: string) => parseBudgetLines(`lines:\n  - ${yaml}\n`, 'lines.yaml')[0]!;

async function crossings(log: EventLog) {
  const out: string[] = [];
  for await (const { event } of log.replay())
    if (event.type === 'io.shotcaller.budget.threshold.crossed.v1')
      out.push(`${event.data.thresholdPercent} ${event.data.direction} ${event.data.value.amountMinor}`);
  return out;
}

describe('the budget projection', () => {
  it('refuses a fact folded from facts another writer changed since, and stores it after folding again', async () => {
    const { redis, deployment, logged } = setup();
    const p = plannedShot(2);
    await logged(p);
    const [submitted, routed, started, usage] = p.events;
    let interleave = false;
    let late: Promise<void> | undefined;
    // The clock is read between a writer's read of the facts and its write. Here it starts a second
    // apply on the same connection, whose read Redis answers before the first writer's write: that
    // second apply folds facts that are stale by the time it writes.
    const projection: BudgetProjection = new BudgetProjection(redis, deployment, () => {
      if (interleave) {
        interleave = false;
        late = projection.apply(usage!);
      }
      return new Date();
    });
    await projection.apply(submitted!);
    await projection.apply(routed!);
    interleave = true;
    await projection.apply(started!);
    await late;
    const row = (await projection.row(p.shotId))!;
    expect({ committed: row.committed, actual: row.actual }).toEqual({ committed: 0, actual: 9_600 });
    expect(await projection.lineTotals(p.lineId)).toEqual(totalsOfOneShot(row));
    // Each fact stored once: the refused write left nothing behind.
    const stored = (await redis.get(projection.keys.shotFacts(p.shotId)))!;
    expect(stored.split('\n').filter(Boolean)).toHaveLength(4);
  });

  it('refuses a re-total folded before a fact stored meanwhile, and makes it again with the fact', async () => {
    const { redis, deployment, logged } = setup();
    const p = plannedShot(2); // genai: usage 9,600
    await logged(p);
    const [submitted, routed, started, usage] = p.events;
    const writer = new BudgetProjection(redis, deployment);
    for (const e of [submitted!, routed!, started!]) await writer.apply(e);
    // The re-totalling projection's first write waits until the writer has stored the usage: the totals
    // it folded are older than the ledger by then.
    let interleaved = false;
    const racing = new Proxy(redis, {
      get(target, property) {
        if (property === 'scBudgetSetLineTotals' && !interleaved) {
          interleaved = true;
          return async (...args: string[]) => {
            await writer.apply(usage!);
            return (target as unknown as Record<string, (...a: string[]) => Promise<unknown>>)[property]!(
              ...args,
            );
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await new BudgetProjection(racing, deployment).retotal();
    expect(interleaved).toBe(true);
    const row = (await writer.row(p.shotId))!;
    expect(row.actual).toBe(9_600);
    expect(await writer.lineTotals(p.lineId)).toEqual(totalsOfOneShot(row));
  });

  it('stays exact when two consumers take turns on a shot, each guessing from what it last stored', async () => {
    const { redis, deployment, logged } = setup();
    const p = plannedShot(3);
    await logged(p);
    const [a, b] = [new BudgetProjection(redis, deployment), new BudgetProjection(redis, deployment)];
    // Each writes after the other has: every guess of what Redis holds is out of date.
    for (const [i, event] of p.events.entries()) await (i % 2 === 0 ? a : b).apply(event);
    // Redelivered to the one that did not store them: a guess must not make it count them again.
    for (const [i, event] of p.events.entries()) await (i % 2 === 0 ? b : a).apply(event);
    const row = (await a.row(p.shotId))!;
    expect({ committed: row.committed, actual: row.actual, efc: row.efc }).toEqual(p.expected);
    expect(await a.lineTotals(p.lineId)).toEqual(totalsOfOneShot(row));
  });

  it('flags money it has no rate for, alerts once, and converts it once the rate comes, corrected or not', async () => {
    const { redis, deployment, log, logged } = setup();
    const projection = new BudgetProjection(redis, deployment);
    const p = plannedShot(3); // vendor, all USD on 2026-11-01: estimate 10,021, award 10,521, invoice 10,641, approved
    await logged(p);
    await projection.configureLine(line(`{ id: ${p.lineId}, show: NTH, currency: EUR, amount: "1000.00" }`));
    for (const e of p.events) await projection.apply(e);
    for (const e of p.events) await projection.apply(e);
    const flagged = (await projection.row(p.shotId))!;
    expect(flagged).toMatchObject({
      currency: 'EUR',
      efc: 0,
      unconvertedActual: [{ amountMinor: 10_641, currency: 'USD' }],
      missingRates: [{ from: 'USD', to: 'EUR', date: '2026-11-01' }],
    });
    const alerts: string[] = [];
    for await (const { event } of log.replay())
      if (event.type === 'io.shotcaller.budget.fx-rate.missing.v1')
        alerts.push(`${event.data.shotId} ${event.data.from}→${event.data.to} ${event.data.date}`);
    expect(alerts).toEqual([`${p.shotId} USD→EUR 2026-11-01`]);

    const rates = (r: string) => [{ date: '2026-11-01', from: 'EUR', to: 'USD', rate: r }];
    await projection.recordRates(rates('1.25'), '2026-11-02T00:00:00.000Z', 'fx-1');
    // USD 106.41 / 1.25 = EUR 85.128 → 85.13
    expect((await projection.row(p.shotId))!).toMatchObject({ efc: 8_513, missingRates: [] });
    expect(await projection.lineTotals(p.lineId)).toMatchObject({ shots: 1, actual: 8_513, efc: 8_513 });

    // A correction, recorded later, wins; an older event delivered late does not undo it.
    await projection.recordRates(rates('1.5'), '2026-11-03T00:00:00.000Z', 'fx-2');
    await projection.recordRates(rates('1.25'), '2026-11-02T00:00:00.000Z', 'fx-1');
    // USD 106.41 / 1.5 = EUR 70.94
    expect((await projection.row(p.shotId))!.efc).toBe(7_094);
    expect(await projection.lineTotals(p.lineId)).toMatchObject({ actual: 7_094, efc: 7_094 });
  });

  it('stores a batch as one event at a time would, each shot with one write, a repeated event once', async () => {
    const { redis, deployment, logged } = setup();
    const shots = [1, 2, 3, 4, 5, 6, 7].map((n) => plannedShot(n));
    await logged(...shots);
    // Interleaved as a busy log is, with a redelivered event inside the batch and a line configured midway.
    const events = shots.flatMap((p) => p.events.map((e, i) => ({ e, at: i }))).sort((x, y) => x.at - y.at);
    const batch = [...events.slice(0, 9).map((x) => x.e), events[3]!.e, ...events.slice(9).map((x) => x.e)];
    const oneByOne = new BudgetProjection(redis, `${deployment}-single`);
    for (const p of shots)
      await new EventLog(redis, { deployment: `${deployment}-single` }).appendMany(p.events);
    const together = new BudgetProjection(redis, deployment);
    const lineA = line(
      `{ id: NTH-EP01, show: NTH, currency: USD, amount: "500.00", thresholdsPercent: [50] }`,
    );
    for (const e of batch.slice(0, 9)) await oneByOne.apply(e);
    await oneByOne.configureLine(lineA);
    for (const e of batch.slice(9)) await oneByOne.apply(e);
    await together.applyMany(batch.slice(0, 9));
    await together.configureLine(lineA);
    await together.applyMany(batch.slice(9));

    for (const p of shots) {
      const row = (await together.row(p.shotId))!;
      expect(row).toEqual(await oneByOne.row(p.shotId));
      expect({ committed: row.committed, actual: row.actual, efc: row.efc }, p.shotId).toEqual(p.expected);
      // Each event's fact stored once, whatever the batch repeated.
      const stored = (await redis.get(together.keys.shotFacts(p.shotId)))!;
      const ids = stored
        .split('\n')
        .filter(Boolean)
        .map((f) => JSON.stringify(JSON.parse(f)[0]));
      expect(new Set(ids).size, p.shotId).toBe(ids.length);
    }
    // Totals and threshold crossings alike.
    for (const lineId of ['NTH-EP01', 'NTH-EP02'])
      expect(await redis.hgetall(together.keys.lineState(lineId))).toEqual(
        await redis.hgetall(oneByOne.keys.lineState(lineId)),
      );
    expect(await together.rows('NTH')).toEqual(await oneByOne.rows('NTH'));
  });

  it('announces a crossing on the write that moves EFC over the threshold, or on a new budget, once', async () => {
    const { redis, deployment, log, logged } = setup();
    const projection = new BudgetProjection(redis, deployment);
    const p = plannedShot(4); // genai: estimate 10,028, usage 10,200, not approved
    await logged(p);
    const budget = (amount: string) =>
      line(
        `{ id: ${p.lineId}, show: NTH, currency: USD, amount: "${amount}", thresholdsPercent: [50, 100] }`,
      );
    await projection.configureLine(budget('102.00'));
    for (const e of p.events) await projection.apply(e);
    // Twice, as a redelivery would: nothing more.
    for (const e of p.events) await projection.apply(e);
    expect(await crossings(log)).toEqual(['50 up 10028', '100 up 10200']);
    await projection.configureLine(budget('300.00'));
    expect(await crossings(log)).toEqual(['50 up 10028', '100 up 10200', '50 down 10200', '100 down 10200']);
    await projection.configureLine(budget('102.00'));
    expect((await crossings(log)).slice(4)).toEqual(['50 up 10200', '100 up 10200']);
  });

  it('does not count a fact whose event the log lost (as a failover can), and counts it once the log has it', async () => {
    const { redis, deployment, log } = setup();
    const p = plannedShot(2); // genai: usage 9,600
    const usage = p.events.find((e) => e.type === 'io.shotcaller.genai.usage.recorded.v1')!;
    // The consumer read the usage from the old master; the replica promoted never had it.
    await log.appendMany(p.events.filter((e) => e !== usage));
    const lost: Array<{ shotId: string; eventId: string }> = [];
    const projection = new BudgetProjection(redis, deployment, undefined, (l) => lost.push(l));
    await projection.applyMany(p.events);
    expect(lost).toEqual([{ shotId: p.shotId, eventId: usage.id }]);
    expect((await projection.row(p.shotId))!.actual).toBe(0);
    // The task runs again and appends its usage (the same id): now it counts, once.
    await log.appendMany([usage]);
    await projection.apply(usage);
    await projection.apply(usage);
    expect((await projection.row(p.shotId))!.actual).toBe(9_600);
    expect((await projection.lineTotals(p.lineId))!.actual).toBe(9_600);
  });

  it('takes the facts of a shot an older version indexed in a list on trust', async () => {
    const { redis, deployment } = setup();
    const p = plannedShot(2);
    await redis.rpush(eventLogKeys(deployment).legacySubject(p.shotId), '1-0');
    const projection = new BudgetProjection(redis, deployment);
    await projection.applyMany(p.events);
    expect((await projection.row(p.shotId))!.actual).toBe(9_600);
  });

  it('stores the other shots of a write when one of them is refused, and that one after folding again', async () => {
    const { redis, deployment, logged } = setup();
    const [a, b] = [plannedShot(2), plannedShot(4)];
    await logged(a, b);
    const projection = new BudgetProjection(redis, deployment);
    await projection.applyMany([...a.events.slice(0, 2), ...b.events.slice(0, 2)]);
    // Another consumer stores a's usage: what this projection remembers of a is now out of date.
    await new BudgetProjection(redis, deployment).apply(a.events[3]!);
    const clockBefore = Number(await redis.get(projection.keys.clock));
    await projection.applyMany([a.events[2]!, b.events[2]!]);
    // Two writes (each bumps the clock once): both shots, where a's part was refused; then a again.
    expect(Number(await redis.get(projection.keys.clock)) - clockBefore).toBe(2);
    // The same as one consumer applying every event in turn.
    const { deployment: alone } = setup();
    const reference = new BudgetProjection(redis, alone);
    for (const e of [...a.events, ...b.events.slice(0, 3)]) {
      await new EventLog(redis, { deployment: alone }).appendMany([e]);
      await reference.apply(e);
    }
    for (const shot of [a, b])
      expect(await projection.row(shot.shotId)).toEqual(await reference.row(shot.shotId));
    for (const lineId of new Set([a.lineId, b.lineId]))
      expect(await projection.lineTotals(lineId)).toEqual(await reference.lineTotals(lineId));
    const stored = (await redis.get(projection.keys.shotFacts(a.shotId)))!;
    expect(stored.split('\n').filter(Boolean)).toHaveLength(4);
  });
});
