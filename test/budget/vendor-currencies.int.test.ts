import { BudgetProjection } from '@shotcaller/budget';
import { type Io, runCli } from '@shotcaller/cli';
import { EventLog } from '@shotcaller/events';
import { ApiError } from '@shotcaller/sdk';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { runShotcaller, tokens } from '../support/shotcaller';

// A production made in Argentina for a streamer: the budget line in dollars, a local vendor bidding and
// invoicing in pesos through real vendor tickets (Temporal), the ledger converting at the ledger's rates.

let app: Awaited<ReturnType<typeof runShotcaller>>;
let log: EventLog;
const today = new Date().toISOString().slice(0, 10);
const Any = z.any();
const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const ars = (amountMinor: number) => ({ amountMinor, currency: 'ARS' });

const call = (token: string, method: string, path: string, body?: unknown) =>
  app.client(token).request(method, path, Any, body);
const caughtUp = () =>
  eventually(
    () => log.groups(),
    (g) => g.some((x) => x.name === 'budget' && x.lag === 0 && x.pending === 0),
    'the ledger caught up',
  );
const recordRate = async (rate: string, reason: string) => {
  await call(tokens.accountant, 'PUT', '/v1/fx-rates', {
    rates: [{ date: today, from: 'USD', to: 'ARS', rate }],
    reason,
  });
  await eventually(
    () => call(tokens.accountant, 'GET', '/v1/fx-rates'),
    (r) => r.data.rates.some((x: { date: string; rate: string }) => x.date === today && x.rate === rate),
    'the rate in the ledger',
  );
};

beforeAll(async () => {
  app = await runShotcaller(['api', 'router', 'vendor-worker', 'temporal-worker', 'budget'], {
    temporal: { address: inject('temporalAddress'), namespace: inject('temporalNamespace') },
    vendor: { vendors: ['vendor-a', 'vendor-b'], bidWindowMs: 600_000, dayMs: 3_600_000 },
  });
  log = new EventLog(app.running.redis, { deployment: app.deployment });
  await call(tokens.accountant, 'PUT', '/v1/budgets/lines/NTH-VFX', {
    show: 'NTH',
    currency: 'USD',
    amount: '250000.00',
  });
  await recordRate('1000', 'the bank’s rate of the day');
}, 120_000);
afterAll(() => app?.running.stop());

async function vendorTicket() {
  const { shot } = await app.client().submitShot(aShotRequest({ requestedRoute: 'vendor' }));
  const opened = await eventually(
    () => app.client().getShot(shot.id),
    (s) => s.state === 'in-progress' && !!s.vendorWorkflowId,
    'the ticket opened',
    60_000,
  );
  const path = `/v1/vendor/tickets/tk-${shot.id.slice(3)}`;
  const bid = async (token: string, amount: { amountMinor: number; currency: string }) =>
    (await call(token, 'POST', `${path}/bids`, { amount, turnaroundDays: 10 })).data.bidId as string;
  const award = (body: Record<string, unknown>) => call(tokens.td, 'POST', `${path}/award`, body);
  return { shotId: opened.id, path, bid, award };
}

const refusalOf = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('the award was taken');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(ApiError);
      return (e as ApiError).problem;
    },
  );

/**
 * The NTH-VFX line as the log says it should be, folded here by hand: a shot's estimate is its routing's
 * (in dollars); a peso award or invoice converts at the USD→ARS rate of its event's day, the latest
 * recorded for that day winning, as pesos × 10^digits / rate, rounded half to even.
 */
async function independentFold() {
  const rates = new Map<string, { rate: string; time: string }>();
  type Shot = {
    estimate: number;
    award?: [number, string, string];
    invoice?: [number, string, string];
    approved: boolean;
    cancelled: boolean;
  };
  const shots = new Map<string, Shot>();
  for await (const { event } of log.replay()) {
    if (event.type === 'io.shotcaller.budget.fx-rates.recorded.v1')
      for (const r of event.data.rates) {
        const held = rates.get(r.date);
        if (r.from === 'USD' && r.to === 'ARS' && (!held || held.time <= event.time))
          rates.set(r.date, { rate: r.rate, time: event.time });
      }
    if (!('shotId' in event.data)) continue;
    const id = String(event.data.shotId);
    const shot = shots.get(id) ?? { estimate: 0, approved: false, cancelled: false };
    shots.set(id, shot);
    const day = event.time.slice(0, 10);
    if (event.type === 'io.shotcaller.shot.routed.v1')
      shot.estimate = event.data.decision.estimates[event.data.decision.route].cost.amountMinor;
    if (event.type === 'io.shotcaller.vendor.ticket.awarded.v1')
      shot.award = [event.data.amount.amountMinor, event.data.amount.currency, day];
    if (event.type === 'io.shotcaller.vendor.invoice.received.v1')
      shot.invoice = [event.data.amount.amountMinor, event.data.amount.currency, day];
    if (event.type === 'io.shotcaller.shot.approved.v1') shot.approved = true;
    if (event.type === 'io.shotcaller.shot.cancelled.v1') shot.cancelled = true;
  }
  const inUsd = ([amount, currency, day]: [number, string, string]): number => {
    if (currency === 'USD') return amount;
    const r = rates.get(day)!.rate;
    const [whole, fraction = ''] = r.split('.');
    const num = BigInt(whole! + fraction);
    const den = 10n ** BigInt(fraction.length);
    const n = BigInt(amount) * den;
    let q = n / num;
    const twice = (n % num) * 2n;
    if (twice > num || (twice === num && q % 2n === 1n)) q += 1n;
    return Number(q);
  };
  const total = { shots: 0, estimate: 0, committed: 0, actual: 0, efc: 0 };
  for (const shot of shots.values()) {
    const committed = shot.award ? inUsd(shot.award) : 0;
    const actual = shot.invoice ? inUsd(shot.invoice) : 0;
    const etc = shot.cancelled
      ? 0
      : shot.approved
        ? Math.max(committed - actual, 0)
        : Math.max(Math.max(shot.estimate, committed) - actual, 0);
    total.shots += 1;
    total.estimate += shot.estimate;
    total.committed += committed;
    total.actual += actual;
    total.efc += actual + etc;
  }
  return total;
}

const LineView = z
  .object({
    reportingCurrency: z.string().nullable(),
    lines: z.array(
      z
        .object({
          key: z.string(),
          currency: z.string(),
          shots: z.int(),
          estimate: z.int(),
          committed: z.int(),
          actual: z.int(),
          efc: z.int(),
          unconvertedShots: z.int(),
          originalCurrencies: z.array(z.string()),
        })
        .loose(),
    ),
  })
  .loose();

/** The line as the API rolls it up, checked against the running totals the threshold alerts read. */
async function ledgerLine() {
  await caughtUp();
  const { data } = await app.client(tokens.accountant).request('GET', '/v1/budgets?show=NTH', LineView);
  const line = data.lines.find((l) => l.key === 'NTH-VFX')!;
  const totals = await new BudgetProjection(app.running.redis, app.deployment).lineTotals('NTH-VFX');
  expect(totals).toMatchObject({ committed: line.committed, actual: line.actual, efc: line.efc });
  return { reportingCurrency: data.reportingCurrency, line };
}

let pesoShot: string;

describe('a local vendor bidding and invoicing in pesos against a dollar line', () => {
  it('is awarded at its dollar price though its pesos are more than the line, and keeps its pesos on the award and the invoice', async () => {
    const t = await vendorTicket();
    pesoShot = t.shotId;
    await t.bid(tokens.vendorA, usd(700_000));
    // ARS 6,500,000.00: 650 million minor units, far over the line's 25 million; USD 6,500.00 at 1000.
    const pesos = await t.bid(tokens.vendorB, ars(650_000_000));
    const { data: awarded } = await t.award({ bidId: pesos });
    expect(awarded.award).toMatchObject({ vendorId: 'vendor-b', amount: ars(650_000_000) });
    expect(awarded.award).not.toHaveProperty('overBudgetApprovedBy');

    await app
      .client(tokens.vendorB)
      .deliver(`tk-${t.shotId.slice(3)}`, [{ name: 'COL_v001.exr', bytes: Buffer.from('v001') }]);
    await call(tokens.td, 'POST', `${t.path}/review`, { outcome: 'approved' });
    const { data: closed } = await call(tokens.vendorB, 'POST', `${t.path}/invoices`, {
      invoiceId: 'FAC-0001-00000042',
      amount: ars(660_000_000),
    });
    expect(closed).toMatchObject({ phase: 'closed', invoice: { amount: ars(660_000_000) } });

    await caughtUp();
    const csv = await app.client(tokens.accountant).text('GET', '/v1/budgets/report.csv?show=NTH');
    const row = (parse(csv, { columns: true }) as Array<Record<string, string>>).find(
      (r) => r.shot_id === t.shotId,
    );
    expect(row).toMatchObject({
      reporting_currency: 'USD',
      committed: '6500.00',
      actual: '6600.00',
      original_committed: 'ARS 6500000.00',
      original_actual: 'ARS 6600000.00',
      missing_rates: '',
    });
    const { data: compare } = await call(tokens.accountant, 'GET', '/v1/budgets/compare?show=NTH');
    expect(compare.routes.find((r: { route: string }) => r.route === 'vendor')).toMatchObject({
      currency: 'USD',
      originalCurrencies: ['ARS', 'USD'],
      unconvertedShots: 0,
    });
  }, 120_000);

  it('refuses a peso bid over the line at its dollar price, and a bid whose rate is missing, saying which', async () => {
    const t = await vendorTicket();
    // ARS 400,000,000.00 is USD 400,000.00 at 1000: over the line's USD 250,000.00.
    const overLine = await t.bid(tokens.vendorB, ars(40_000_000_000));
    const over = await refusalOf(t.award({ bidId: overLine }));
    expect(over.type).toBe('urn:shotcaller:problem:award_over_budget');
    expect(over.detail).toMatch(
      new RegExp(`40000000000 ARS minor units, 40000000 USD minor units at the rate of ${today}\\) is over`),
    );
    const reais = await t.bid(tokens.vendorA, { amountMinor: 3_000_000, currency: 'BRL' });
    for (const approval of [{}, { overBudgetApprovedBy: 'ines (line producer)' }]) {
      const missing = await refusalOf(t.award({ bidId: reais, ...approval }));
      expect(missing).toMatchObject({ status: 409, type: 'urn:shotcaller:problem:fx_rate_missing' });
      expect(missing.detail).toContain(`no BRL→USD rate for ${today}`);
    }
    const { data: ticket } = await call(tokens.td, 'GET', t.path);
    expect(ticket.phase).toBe('bidding');
    await call(tokens.td, 'POST', `${t.path}/cancel`, { reason: 'the shot was cut' });
  }, 120_000);

  it('equals an independent fold of the log before and after a rates change, and after `budget rebuild`', async () => {
    const before = await independentFold();
    const { reportingCurrency, line } = await ledgerLine();
    expect(reportingCurrency).toBe('USD');
    expect(line).toMatchObject({ ...before, unconvertedShots: 0, originalCurrencies: ['ARS', 'USD'] });

    // The bank's statement corrects the day's rate: the peso shot's dollars move, the ledger with them.
    await recordRate('1250.5', 'rate from the bank statement');
    const after = await independentFold();
    expect(after.actual).not.toBe(before.actual);
    expect((await ledgerLine()).line).toMatchObject(after);

    const out: string[] = [];
    const io: Io = { out: (text) => out.push(text), err: (text) => out.push(text), tty: false };
    const code = await runCli(
      ['--api', app.running.apiUrl!, '--token', tokens.admin, 'budget', 'rebuild'],
      io,
      {},
    );
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/ledger rebuilt from \d+ events/);
    expect((await ledgerLine()).line).toMatchObject(after);
    const csv = await app.client(tokens.accountant).text('GET', '/v1/budgets/report.csv?show=NTH');
    const row = (parse(csv, { columns: true }) as Array<Record<string, string>>).find(
      (r) => r.shot_id === pesoShot,
    );
    // ARS 6,500,000.00 / 1250.5 = USD 5,197.92; ARS 6,600,000.00 / 1250.5 = USD 5,277.89.
    expect(row).toMatchObject({ committed: '5197.92', actual: '5277.89', original_actual: 'ARS 6600000.00' });
  }, 120_000);
});
