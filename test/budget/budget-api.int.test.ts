import { parseBudgetLines, seedBudgetLines } from '@shotcaller/budget';
import { EventLog } from '@shotcaller/events';
import { eventually } from '@shotcaller/testkit';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { plannedShot } from '../../packages/budget/test/events';
import { runShotcaller, tokens } from '../support/shotcaller';

let app: Awaited<ReturnType<typeof runShotcaller>>;
const plans = Array.from({ length: 60 }, (_, i) => plannedShot(i + 1));
const efcOf = (lineId: string) =>
  plans.filter((p) => p.lineId === lineId).reduce((n, p) => n + p.expected.efc, 0);

beforeAll(async () => {
  app = await runShotcaller(['api', 'budget']);
  const log = new EventLog(app.running.redis, { deployment: app.deployment });
  await seedBudgetLines(
    log,
    parseBudgetLines('lines:\n  - { id: NTH-EP01, show: NTH, currency: USD, amount: "500000" }\n', 'l.yaml'),
    'ines',
    '/test',
  );
  await log.appendMany(plans.flatMap((p) => p.events));
  await eventually(
    () => log.groups(),
    (g) => g.some((x) => x.name === 'budget' && x.lag === 0 && x.pending === 0),
    'the ledger caught up',
  );
});
afterAll(() => app?.running.stop());

const Row = z
  .object({ key: z.string(), efc: z.int(), budget: z.int().optional(), variance: z.int().optional() })
  .loose();

describe('the accountant’s API', () => {
  it('rolls the ledger up by line, with budget and variance', async () => {
    const { data } = await app
      .client(tokens.accountant)
      .request('GET', '/v1/budgets?show=NTH', z.object({ lines: z.array(Row), total: z.array(Row) }).loose());
    const ep01 = data.lines.find((l) => l.key === 'NTH-EP01')!;
    expect(ep01).toMatchObject({
      efc: efcOf('NTH-EP01'),
      budget: 50_000_000,
      variance: 50_000_000 - efcOf('NTH-EP01'),
    });
    expect(data.total[0]!.efc).toBe(efcOf('NTH-EP01') + efcOf('NTH-EP02'));
  });

  it('serves a cost report CSV whose totals match the API', async () => {
    const csv = await app.client(tokens.accountant).text('GET', '/v1/budgets/report.csv?show=NTH');
    const records = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(records).toHaveLength(60);
    const cents = (s: string) => Math.round(Number(s) * 100);
    expect(records.reduce((n, r) => n + cents(r.efc!), 0)).toBe(efcOf('NTH-EP01') + efcOf('NTH-EP02'));
  });

  it('compares genai and vendor', async () => {
    const { data } = await app
      .client(tokens.accountant)
      .request(
        'GET',
        '/v1/budgets/compare?show=NTH',
        z.object({ routes: z.array(z.object({ route: z.string(), shots: z.int() }).loose()) }),
      );
    expect(data.routes.map((r) => [r.route, r.shots])).toEqual([
      ['genai', plans.filter((p) => p.route === 'genai').length],
      ['vendor', plans.filter((p) => p.route === 'vendor').length],
    ]);
  });

  it('rebuilds the ledger from the log to the same figures', async () => {
    const before = await app.client(tokens.accountant).text('GET', '/v1/budgets/report.csv?show=NTH');
    const { data } = await app
      .client(tokens.admin)
      .request('POST', '/v1/budgets:rebuild', z.object({ replayed: z.int() }), {});
    expect(data.replayed).toBeGreaterThan(plans.length);
    expect(await app.client(tokens.accountant).text('GET', '/v1/budgets/report.csv?show=NTH')).toBe(before);
  });
});
