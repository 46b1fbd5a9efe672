import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BudgetProjection, parseBudgetLines, seedBudgetLines } from '@shotcaller/budget';
import { type Io, runCli } from '@shotcaller/cli';
import { BudgetView } from '@shotcaller/contracts';
import { EventLog } from '@shotcaller/events';
import { eventually } from '@shotcaller/testkit';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { plannedShot } from '../../packages/budget/test/events';
import { expectedEfc, notePesoRates, type PesoRates, pesosInCents } from '../support/peso-rates';
import { runShotcaller, tokens } from '../support/shotcaller';

let app: Awaited<ReturnType<typeof runShotcaller>>;
let log: EventLog;
const plans = Array.from({ length: 60 }, (_, i) => plannedShot(i + 1));
const efcOf = (lineId: string) =>
  plans.filter((p) => p.lineId === lineId).reduce((n, p) => n + p.expected.efc, 0);

/**
 * Show ARG: a USD budget line, AI in USD, a local vendor bidding and invoicing in pesos, one shot a day
 * from 2026-11-01. Rates come for 2026-11-02 and 2026-11-04 only, so shot 3's costs (2026-11-01) have none.
 */
const argDays: Record<number, number> = { 3: 1, 6: 2, 9: 3, 12: 4, 4: 5, 5: 6 };
const argPlans = Object.entries(argDays).map(([n, day]) =>
  plannedShot(Number(n), {
    show: 'ARG',
    lineId: 'ARG-EP01',
    prefix: 'arg-',
    vendor: { currency: 'ARS', perCent: 1000 },
    start: new Date(Date.UTC(2026, 10, day, 12)),
  }),
);

const caughtUp = () =>
  eventually(
    () => log.groups(),
    (g) => g.some((x) => x.name === 'budget' && x.lag === 0 && x.pending === 0),
    'the ledger caught up',
  );

beforeAll(async () => {
  app = await runShotcaller(['api', 'budget']);
  log = new EventLog(app.running.redis, { deployment: app.deployment });
  await seedBudgetLines(
    log,
    parseBudgetLines(
      'lines:\n  - { id: NTH-EP01, show: NTH, currency: USD, amount: "500000" }\n  - { id: ARG-EP01, show: ARG, currency: USD, amount: "1000" }\n',
      'l.yaml',
    ),
    'ines',
    '/test',
  );
  await app.client(tokens.accountant).request('PUT', '/v1/fx-rates', z.unknown(), {
    csv: 'date,from,to,rate\n2026-11-02,USD,ARS,1000\n2026-11-04,USD,ARS,1050.5\n',
    source: 'bank.csv',
  });
  await log.appendMany([...plans, ...argPlans].flatMap((p) => p.events));
  await caughtUp();
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

/**
 * The ARG line as the log says it should be, folded here by hand for the shapes of argPlans: each peso
 * amount converts at the USD→ARS rate of its day (or the latest of the 7 days before), the latest
 * recorded rate of a day winning, rounded half to even; an amount with no rate is left out and its
 * shot counted as unconverted.
 */
async function independentFold() {
  const rates: PesoRates = new Map();
  type Shot = {
    route?: string;
    est: number;
    used: number;
    award?: [number, string];
    invoice?: [number, string];
    approved: boolean;
  };
  const shots = new Map<string, Shot>();
  for await (const { event } of log.replay()) {
    notePesoRates(rates, event);
    if (event.show !== 'ARG') continue;
    const id = 'shotId' in event.data ? String(event.data.shotId) : '';
    const shot = shots.get(id) ?? { est: 0, used: 0, approved: false };
    shots.set(id, shot);
    const day = event.time.slice(0, 10);
    if (event.type === 'io.shotcaller.shot.routed.v1') {
      shot.route = event.data.decision.route;
      shot.est = event.data.decision.estimates[event.data.decision.route].cost.amountMinor;
    }
    if (event.type === 'io.shotcaller.genai.usage.recorded.v1') shot.used += event.data.cost.amountMinor;
    if (event.type === 'io.shotcaller.vendor.ticket.awarded.v1')
      shot.award = [event.data.amount.amountMinor, day];
    if (event.type === 'io.shotcaller.vendor.invoice.received.v1')
      shot.invoice = [event.data.amount.amountMinor, day];
    if (event.type === 'io.shotcaller.shot.approved.v1') shot.approved = true;
  }
  const toUsd = ([pesos, day]: [number, string]): number | undefined => {
    for (let back = 0; back <= 7; back++) {
      const d = new Date(Date.parse(`${day}T00:00:00Z`) - back * 86_400_000).toISOString().slice(0, 10);
      const r = rates.get(d)?.rate;
      if (r) return pesosInCents(pesos, r);
    }
    return undefined;
  };
  const total = { committed: 0, actual: 0, efc: 0, unconvertedShots: 0 };
  for (const shot of shots.values()) {
    let committed = 0;
    let actual = shot.used;
    if (shot.route === 'vendor') {
      const award = shot.award && toUsd(shot.award);
      const invoice = shot.invoice && toUsd(shot.invoice);
      if ((shot.award && award === undefined) || (shot.invoice && invoice === undefined))
        total.unconvertedShots++;
      committed = award ?? 0;
      actual = invoice ?? 0;
    }
    total.committed += committed;
    total.actual += actual;
    total.efc += expectedEfc({ estimate: shot.est, committed, actual, approved: shot.approved });
  }
  return total;
}

async function argLedger() {
  const { data } = await app.client(tokens.accountant).request('GET', '/v1/budgets?show=ARG', BudgetView);
  const line = data.lines.find((l) => l.key === 'ARG-EP01')!;
  // The line's running totals in Redis (what the threshold alerts read) agree with the roll-up.
  const totals = await new BudgetProjection(app.running.redis, app.deployment).lineTotals('ARG-EP01');
  expect(totals).toMatchObject({ committed: line.committed, actual: line.actual, efc: line.efc });
  return { reportingCurrency: data.reportingCurrency, line };
}

describe('a production in two currencies', () => {
  it('converts pesos to the dollar budget at the rate of each cost’s day, and flags and alerts what has no rate', async () => {
    const { reportingCurrency, line } = await argLedger();
    const expected = await independentFold();
    expect(expected.unconvertedShots).toBe(1);
    expect(reportingCurrency).toBe('USD');
    expect(line).toMatchObject({ ...expected, originalCurrencies: ['ARS', 'USD'] });
    const alerts: string[] = [];
    for await (const { event } of log.replay())
      if (event.type === 'io.shotcaller.budget.fx-rate.missing.v1')
        alerts.push(`${event.data.shotId} ${event.data.from}/${event.data.to} ${event.data.date}`);
    expect(alerts).toEqual(['arg-3 ARS/USD 2026-11-01']);
    const { data: history } = await app
      .client(tokens.accountant)
      .request(
        'GET',
        '/v1/budgets/history?show=ARG',
        z
          .object({ missingRates: z.array(z.object({ shotId: z.string(), date: z.string() }).loose()) })
          .loose(),
      );
    expect(history.missingRates.map((r) => `${r.shotId} ${r.date}`)).toEqual(['arg-3 2026-11-01']);
    const csv = await app.client(tokens.accountant).text('GET', '/v1/budgets/report.csv?show=ARG');
    const records = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(records.find((r) => r.shot_id === 'arg-3')).toMatchObject({
      reporting_currency: 'USD',
      missing_rates: 'ARS/USD 2026-11-01',
    });
  });

  it('refuses a rates file with a bad line, naming it, and records nothing of it', async () => {
    const Rates = z.object({ rates: z.array(z.object({ date: z.string() }).loose()) });
    const held = (await app.client(tokens.accountant).request('GET', '/v1/fx-rates', Rates)).data.rates
      .length;
    await expect(
      app.client(tokens.accountant).request('PUT', '/v1/fx-rates', z.unknown(), {
        csv: 'date,from,to,rate\n2026-11-05,USD,ARS,1060\n2026-11-06,USD,ARS,-1\n',
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('line 3') });
    expect(
      (await app.client(tokens.accountant).request('GET', '/v1/fx-rates', Rates)).data.rates,
    ).toHaveLength(held);
  });

  it('follows a late and a corrected rate, audits the correction, and rebuilds to the same figures', async () => {
    const before = await independentFold();
    const { data } = await app.client(tokens.accountant).request(
      'PUT',
      '/v1/fx-rates',
      z
        .object({
          corrected: z.array(z.object({ date: z.string(), before: z.string(), after: z.string() }).loose()),
        })
        .loose(),
      {
        rates: [
          { date: '2026-11-01', from: 'USD', to: 'ARS', rate: '990' },
          { date: '2026-11-02', from: 'USD', to: 'ARS', rate: '1010.25' },
        ],
        reason: 'rates from the bank statement',
      },
    );
    expect(data.corrected).toEqual([
      expect.objectContaining({ date: '2026-11-02', before: '1000', after: '1010.25' }),
    ]);
    await caughtUp();
    const after = await independentFold();
    expect(after.unconvertedShots).toBe(0);
    expect(after.efc).not.toBe(before.efc);
    expect((await argLedger()).line).toMatchObject(after);
    await app
      .client(tokens.admin)
      .request('POST', '/v1/budgets:rebuild', z.object({ replayed: z.int() }), {});
    expect((await argLedger()).line).toMatchObject(after);
  });
});

describe('budget versions', () => {
  const argBudget = async () => {
    const { data } = await app.client(tokens.accountant).request('GET', '/v1/budgets?show=ARG', BudgetView);
    return {
      line: data.lines.find((l) => l.key === 'ARG-EP01')!,
      versions: data.versions.find((v) => v.lineId === 'ARG-EP01')!,
    };
  };
  const put = (path: string, body: unknown) =>
    app.client(tokens.accountant).request('PUT', path, z.unknown(), body);

  it('keeps versions in their own currencies, compares each with the EFC, and makes the current one the budget', async () => {
    // The versions are recorded now, so their amounts convert at today's rate.
    const today = new Date().toISOString().slice(0, 10);
    await put('/v1/fx-rates', { rates: [{ date: today, from: 'USD', to: 'ARS', rate: '1000' }] });
    await put('/v1/budgets/lines/ARG-EP01/versions/bid', {
      show: 'ARG',
      currency: 'ARS',
      amount: '900000',
      note: 'vendor bid',
    });
    await put('/v1/budgets/lines/ARG-EP01/versions/locked', {
      show: 'ARG',
      currency: 'USD',
      amount: '1200',
      current: true,
    });
    await caughtUp();
    const locked = await argBudget();
    expect(locked.line.budget).toBe(120_000);
    expect(locked.versions.currentVersion).toBe('locked');
    expect(locked.versions.versions).toEqual([
      expect.objectContaining({
        version: 'bid',
        current: false,
        budget: 90_000,
        variance: 90_000 - locked.line.efc,
      }),
      expect.objectContaining({
        version: 'locked',
        current: true,
        budget: 120_000,
        variance: 120_000 - locked.line.efc,
      }),
    ]);

    await expect(
      put('/v1/budgets/lines/ARG-EP01/current-version', { show: 'ARG', version: 'final', reason: 'x' }),
    ).rejects.toMatchObject({
      status: 404,
    });
    await put('/v1/budgets/lines/ARG-EP01/current-version', {
      show: 'ARG',
      version: 'bid',
      reason: 'the studio went back to the bid',
    });
    await caughtUp();
    expect((await argBudget()).line.budget).toBe(90_000);
    const selected: string[] = [];
    for await (const { event } of log.replay())
      if (event.type === 'io.shotcaller.budget.line.version.selected.v1')
        selected.push(`${event.data.version} by ${event.data.by}: ${event.data.reason}`);
    expect(selected).toEqual(['bid by ines (accountant): the studio went back to the bid']);

    const csv = await app
      .client(tokens.accountant)
      .text('GET', '/v1/budgets/report.csv?show=ARG&version=locked');
    const records = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(records[0]).toMatchObject({ line_version: 'locked', line_budget: '1200.00' });

    await app
      .client(tokens.admin)
      .request('POST', '/v1/budgets:rebuild', z.object({ replayed: z.int() }), {});
    expect((await argBudget()).line.budget).toBe(90_000);
  });
});

describe('estimate accuracy', () => {
  // Settled NTH shots by hand: approved (odd, not a multiple of 7), error = (actual − estimate) / estimate.
  const settled = plans.filter(
    (p) => Number(p.shotId.slice(3)) % 2 === 1 && Number(p.shotId.slice(3)) % 7 !== 0,
  );
  const medianError = (route: string) => {
    const e = settled
      .filter((p) => p.route === route)
      .map((p) => ((p.expected.actual - p.estimate) / p.estimate) * 100)
      .sort((a, b) => a - b);
    const mid = Math.floor(e.length / 2);
    return Math.round((e.length % 2 ? e[mid]! : (e[mid - 1]! + e[mid]!) / 2) * 100) / 100;
  };

  it('measures the error of settled shots by route, over the API and the CLI', async () => {
    const { data } = await app.client(tokens.accountant).request(
      'GET',
      '/v1/budgets/accuracy?show=NTH',
      z
        .object({
          settledShots: z.int(),
          by: z
            .object({
              route: z.array(
                z.object({ key: z.string(), shots: z.int(), medianErrorPercent: z.number() }).loose(),
              ),
            })
            .loose(),
        })
        .loose(),
    );
    expect(data.settledShots).toBe(settled.length);
    expect(data.by.route.map((g) => [g.key, g.shots, g.medianErrorPercent])).toEqual(
      (['genai', 'vendor'] as const).map((r) => [
        r,
        settled.filter((p) => p.route === r).length,
        medianError(r),
      ]),
    );
    const out: string[] = [];
    const io: Io = { out: (t) => out.push(t), err: (t) => out.push(t), tty: false };
    const code = await runCli(
      ['--api', app.running.apiUrl!, '--token', tokens.accountant, 'budget', 'accuracy', '--show', 'NTH'],
      io,
      {},
    );
    expect(code).toBe(0);
    expect(out.join('\n')).toContain(`${settled.length} settled shots`);
    expect(out.join('\n')).toMatch(/By route/);
  });
});

describe('the rates over the CLI', () => {
  it('imports an ECB reference-rate file and lists what the ledger holds', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fx-')), 'eurofxref.csv');
    writeFileSync(file, 'Date, USD, JPY, \n6 January 2026, 1.0321, 162.91, \n');
    const cli = async (...argv: string[]) => {
      const out: string[] = [];
      const io: Io = { out: (t) => out.push(t), err: (t) => out.push(t), tty: false };
      const code = await runCli(
        ['--api', app.running.apiUrl!, '--token', tokens.accountant, ...argv],
        io,
        {},
      );
      return { code, out: out.join('\n') };
    };
    const imported = await cli('budget', 'rates', 'import', file, '--reason', 'ECB reference rates');
    expect(imported).toMatchObject({ code: 0, out: expect.stringContaining('recorded 2 rates') });
    await caughtUp();
    const listed = await cli('budget', 'rates');
    expect(listed.out).toMatch(/2026-01-06 +│ EUR +│ JPY +│ 162.91/);
  });
});
