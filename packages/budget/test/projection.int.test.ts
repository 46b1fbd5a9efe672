import { BudgetProjection, parseBudgetLines } from '@shotcaller/budget';
import { CurrencyMismatch } from '@shotcaller/contracts';
import { EventLog } from '@shotcaller/events';
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
  return { redis, deployment, log: new EventLog(redis, { deployment }) };
}

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
    const { redis, deployment } = setup();
    const p = plannedShot(2);
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
    const totals = await projection.lineTotals(p.lineId);
    expect(totals).toEqual({
      shots: 1,
      estimate: row.estimate,
      committed: row.committed,
      actual: row.actual,
      etc: row.etc,
      efc: row.efc,
    });
    // Each fact stored once: the refused write left nothing behind.
    const stored = (await redis.get(projection.keys.shotFacts(p.shotId)))!;
    expect(stored.split('\n').filter(Boolean)).toHaveLength(4);
  });

  it('refuses a shot’s money in another currency than its line’s, and stores nothing of it', async () => {
    const { redis, deployment } = setup();
    const projection = new BudgetProjection(redis, deployment);
    const p = plannedShot(3);
    await projection.configureLine(line(`{ id: ${p.lineId}, show: NTH, currency: EUR, amount: "1000.00" }`));
    const [submitted, routed] = p.events;
    await projection.apply(submitted!);
    await expect(projection.apply(routed!)).rejects.toThrow(CurrencyMismatch);
    const stored = (await redis.get(projection.keys.shotFacts(p.shotId)))!;
    expect(stored.split('\n').filter(Boolean)).toHaveLength(1);
    expect((await projection.row(p.shotId))?.currency).toBe('EUR');
    expect(await projection.lineTotals(p.lineId)).toMatchObject({ shots: 1, efc: 0 });
  });

  it('announces a crossing on the write that moves EFC over the threshold, or on a new budget, once', async () => {
    const { redis, deployment, log } = setup();
    const projection = new BudgetProjection(redis, deployment);
    const p = plannedShot(4); // genai: estimate 10,028, usage 10,200, not approved
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
});
