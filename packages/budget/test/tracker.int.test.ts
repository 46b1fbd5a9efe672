import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  BudgetProjection,
  costReportCsv,
  parseBudgetLines,
  rollup,
  seedBudgetLines,
  startBudgetTracker,
} from '@shotcaller/budget';
import type { ShotcallerEvent } from '@shotcaller/contracts';
import { EventLog } from '@shotcaller/events';
import { eventually, testRedis } from '@shotcaller/testkit';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { plannedShot } from './events';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A fixed shuffle, so a failure reproduces. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const lines = parseBudgetLines(
  'lines:\n  - { id: NTH-EP01, show: NTH, episode: EP01, currency: USD, amount: "40000.00", thresholdsPercent: [50, 80, 100] }\n  - { id: NTH-EP02, show: NTH, episode: EP02, currency: USD, amount: "40000.00", thresholdsPercent: [50, 80, 100] }\n',
  'lines.yaml',
);

function setup() {
  const { redis, deployment, url } = testRedis();
  cleanups.push(() => redis.disconnect());
  return { redis, deployment, url, log: new EventLog(redis, { deployment }) };
}

async function runTrackers(redis: ReturnType<typeof setup>['redis'], deployment: string, n: number) {
  const trackers = Array.from({ length: n }, (_, i) =>
    startBudgetTracker({
      redis: redis.duplicate(),
      deployment,
      consumerName: `budget-${i}`,
      blockMs: 100,
      claimIdleMs: 500,
    }),
  );
  for (const t of trackers) await t.start();
  cleanups.push(async () => {
    for (const t of trackers) await t.stop();
  });
  return trackers;
}

const plans = Array.from({ length: 1000 }, (_, i) => plannedShot(i + 1));
const expectedByLine = (lineId: string) => {
  const mine = plans.filter((p) => p.lineId === lineId);
  return {
    shots: mine.length,
    committed: mine.reduce((n, p) => n + p.expected.committed, 0),
    actual: mine.reduce((n, p) => n + p.expected.actual, 0),
    efc: mine.reduce((n, p) => n + p.expected.efc, 0),
  };
};

describe('the budget tracker on the event log', () => {
  it('gets exact totals from 1,000 shots of events delivered twice, out of order, across three consumers; rebuild and the CSV agree', async () => {
    const { redis, deployment, log } = setup();
    await seedBudgetLines(log, lines, 'ines', '/test');
    const events = plans.flatMap((p) => p.events);
    // Out of order, and each event twice: once as is, once as a copy appended later.
    const stream: ShotcallerEvent[] = [
      ...shuffled(events, 7),
      ...shuffled(events, 11).map((e) => ({ ...e })),
    ];
    await runTrackers(redis, deployment, 3);
    for (let i = 0; i < stream.length; i += 500) await log.appendMany(stream.slice(i, i + 500));
    await eventually(
      () => log.groups(),
      (g) => g.some((x) => x.name === 'budget' && x.lag === 0 && x.pending === 0),
      'the trackers caught up',
      60_000,
    );

    const projection = new BudgetProjection(redis, deployment);
    const rows = await projection.rows('NTH');
    expect(rows).toHaveLength(1000);
    for (const p of plans) {
      const row = rows.find((r) => r.shotId === p.shotId)!;
      expect({ committed: row.committed, actual: row.actual, efc: row.efc }).toEqual(p.expected);
    }
    for (const line of lines) {
      const totals = await projection.lineTotals(line.id);
      expect({
        shots: totals.shots,
        committed: totals.committed,
        actual: totals.actual,
        efc: totals.efc,
      }).toEqual(expectedByLine(line.id));
    }

    // The CSV parses and adds up to the same totals.
    const records = parse(costReportCsv(rows, await projection.lines('NTH')), { columns: true }) as Array<
      Record<string, string>
    >;
    const cents = (s: string) => Math.round(Number(s) * 100);
    expect(records.reduce((n, r) => n + cents(r.efc!), 0)).toBe(
      expectedByLine('NTH-EP01').efc + expectedByLine('NTH-EP02').efc,
    );
    expect(rollup(rows, 'line', lines).map((r) => r.efc)).toEqual([
      expectedByLine('NTH-EP01').efc,
      expectedByLine('NTH-EP02').efc,
    ]);

    // Each line ends over 100 % of 40,000.00: every threshold was crossed up, and a crossing repeats
    // only after the total fell back under it (a genai shot's approval can lower its EFC).
    const crossings = new Map<string, string[]>();
    for await (const { event } of log.replay()) {
      if (event.type !== 'io.shotcaller.budget.threshold.crossed.v1') continue;
      const key = `${event.data.lineId}:${event.data.thresholdPercent}`;
      crossings.set(key, [...(crossings.get(key) ?? []), event.data.direction]);
    }
    expect([...crossings.keys()].sort()).toEqual([
      'NTH-EP01:100',
      'NTH-EP01:50',
      'NTH-EP01:80',
      'NTH-EP02:100',
      'NTH-EP02:50',
      'NTH-EP02:80',
    ]);
    for (const directions of crossings.values()) {
      for (const [i, d] of directions.entries()) expect(d).toBe(i % 2 === 0 ? 'up' : 'down');
      expect(directions.at(-1)).toBe('up');
    }

    // Rebuild from the log gives the same ledger, and appends no second crossing.
    const before = await log.length();
    const liveTotals = await Promise.all(lines.map((l) => projection.lineTotals(l.id)));
    await projection.rebuild(log);
    expect(await projection.rows('NTH')).toEqual(rows);
    expect(await Promise.all(lines.map((l) => projection.lineTotals(l.id)))).toEqual(liveTotals);
    expect(await log.length()).toBe(before);
  }, 120_000);

  it('stays exact when a consumer is killed mid-stream and another carries on', async () => {
    const { redis, deployment, url, log } = setup();
    await seedBudgetLines(log, lines, 'ines', '/test');
    const subset = plans.slice(0, 300);
    const fixture = fileURLToPath(new URL('./fixtures/tracker-process.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, url, deployment, 'doomed'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    cleanups.push(() => void child.kill('SIGKILL'));
    await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
    const events = shuffled(
      subset.flatMap((p) => p.events),
      3,
    );
    for (let i = 0; i < events.length; i += 200) await log.appendMany(events.slice(i, i + 200));
    await eventually(
      () => log.groups(),
      (g) => (g.find((x) => x.name === 'budget')?.lag ?? 1) < events.length,
      'the doomed consumer under way',
    );
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await runTrackers(redis, deployment, 1);
    await eventually(
      () => log.groups(),
      (g) => g.some((x) => x.name === 'budget' && x.lag === 0 && x.pending === 0),
      'the survivor caught up',
      60_000,
    );
    const rows = await new BudgetProjection(redis, deployment).rows('NTH');
    expect(rows).toHaveLength(300);
    for (const p of subset) {
      const row = rows.find((r) => r.shotId === p.shotId)!;
      expect({ committed: row.committed, actual: row.actual, efc: row.efc }).toEqual(p.expected);
    }
  }, 120_000);
});
