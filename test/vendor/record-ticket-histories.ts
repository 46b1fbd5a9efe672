/**
 * Records the histories the ticket workflow's replay test replays (packages/vendor-tickets/test/histories):
 * real tickets, run by a real Temporal dev server and Shotcaller's own roles, through each path a
 * running ticket can be on. `pnpm record-ticket-histories` runs it; see docs/vendor-tickets.md
 * ("Changing the ticket workflow") for when to record, and why from the code that is running.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { type BidInput, TicketClient } from '@shotcaller/vendor-tickets';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { z } from 'zod';
import { spawnRole, stopProcess } from '../support/role-process';
import { runShotcaller, tokens } from '../support/shotcaller';

const histories = new URL('../../packages/vendor-tickets/test/histories/', import.meta.url);
const sha = (c: string) => c.repeat(64);
const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const bid = (vendorId: string, amountMinor: number, turnaroundDays: number, currency = 'USD'): BidInput => ({
  vendorId,
  amount: { amountMinor, currency },
  turnaroundDays,
  note: '',
});
const files = (v: string) => [{ uri: `s3://recorded/${v}.exr`, sha256: sha(v.slice(-1)) }];

let connection: Connection;
beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
  mkdirSync(histories, { recursive: true });
});
afterAll(() => connection?.close());

/** A Shotcaller with the given ticket terms, a ticket client on its task queue, and a ticket opener. */
async function production(roles: Parameters<typeof runShotcaller>[0], vendor: Record<string, unknown>) {
  const app = await runShotcaller(roles, {
    temporal: { address: inject('temporalAddress'), namespace: inject('temporalNamespace') },
    vendor: { vendors: ['vendor-a', 'vendor-b'], ...vendor },
  });
  const client = new Client({ connection, namespace: inject('temporalNamespace') });
  const tickets = new TicketClient(client, {
    deployment: app.deployment,
    taskQueue: `shotcaller-${app.deployment}`,
  });
  /** Submits a vendor shot and waits for its ticket to open; returns what a scenario talks to it with. */
  const openTicket = async () => {
    const { shot } = await app.client().submitShot(aShotRequest({ requestedRoute: 'vendor' }));
    const opened = await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.state === 'in-progress' && !!s.vendorWorkflowId,
      'the ticket opened',
      90_000,
    );
    const handle = client.workflow.getHandle(opened.vendorWorkflowId!);
    return { show: opened.show, shotId: opened.id, handle, shotTypes: () => typesOf(app, opened.id) };
  };
  /** Waits for the ticket's workflow to finish and writes its history as the fixture `name`. */
  const save = async (name: string, handle: ReturnType<Client['workflow']['getHandle']>) => {
    await handle.result();
    const file = new URL(`${name}.json`, histories);
    writeFileSync(file, `${historyToJSON(await handle.fetchHistory())}\n`);
    console.log(`recorded ${file.pathname}`);
  };
  return { app, tickets, openTicket, save };
}

const typesOf = async (app: Awaited<ReturnType<typeof runShotcaller>>, shotId: string) =>
  (await app.client().getShot(shotId)).history!.map((e) => e.type.replace(/^io\.shotcaller\./, ''));

describe('ticket histories, recorded from real runs', () => {
  it('with windows of days: happy path, over-budget award then cancel, cancel while bidding, a worker killed mid-way', async () => {
    const { app, tickets, openTicket, save } = await production(
      ['api', 'router', 'vendor-worker', 'budget'],
      {
        bidWindowMs: 600_000,
        dayMs: 3_600_000,
      },
    );
    const workerEnv = {
      REDIS_URL: inject('redisUrl'),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      SHOTCALLER_DEPLOYMENT: app.deployment,
      SHOTCALLER_DATA_DIR: app.config.dataDir,
    };
    let worker: ChildProcess = spawnRole('temporal-worker', workerEnv);
    try {
      // Happy path: two bids, a note, an award, a delivery, changes, a redelivery, approval, invoice.
      {
        const t = await openTicket();
        await tickets.bid(t.show, t.shotId, bid('vendor-a', 1_800_000, 10));
        const b = await tickets.bid(t.show, t.shotId, bid('vendor-b', 1_200_000, 12));
        await tickets.note(t.show, t.shotId, {
          by: 'ana (td)',
          text: 'The plate was re-cut: 12 frames longer',
        });
        await tickets.award(t.show, t.shotId, { bidId: b.bidId, by: 'ana (td)', reason: '' });
        await tickets.deliver(t.show, t.shotId, { vendorId: 'vendor-b', files: files('v001'), note: '' });
        await tickets.review(t.show, t.shotId, {
          outcome: 'changes-requested',
          notes: 'More dust on the second impact',
          by: 'ana (td)',
        });
        await tickets.deliver(t.show, t.shotId, {
          vendorId: 'vendor-b',
          files: files('v002'),
          note: 'dustier',
        });
        await tickets.review(t.show, t.shotId, { outcome: 'approved', notes: '', by: 'ana (td)' });
        await tickets.invoice(t.show, t.shotId, {
          vendorId: 'vendor-b',
          invoiceId: 'INV-2207',
          amount: usd(1_250_000),
        });
        await save('happy-path', t.handle);
      }
      // Over budget: the award fails in its handler (after reading the line), then passes with an approval; then cancelled.
      {
        const t = await openTicket();
        const b = await tickets.bid(t.show, t.shotId, bid('vendor-a', 90_000_000_000, 5));
        await app
          .client(tokens.accountant)
          .request('PUT', '/v1/budgets/lines/NTH-VFX', z.any(), {
            show: 'NTH',
            currency: 'USD',
            amount: '250000.00',
          })
          .catch(() => undefined);
        await eventually(
          () => app.client(tokens.accountant).request('GET', '/v1/budgets?show=NTH', z.any()),
          (r) => r.data.lines.some((l: { key: string }) => l.key === 'NTH-VFX'),
          'the budget line',
        );
        await tickets.award(t.show, t.shotId, { bidId: b.bidId, by: 'ana (td)', reason: '' }).then(
          () => {
            throw new Error('the over-budget award was taken without an approval');
          },
          () => undefined,
        );
        await tickets.award(t.show, t.shotId, {
          bidId: b.bidId,
          by: 'ana (td)',
          overBudgetApprovedBy: 'ines (line producer)',
          reason: 'the only vendor with a crowd pipeline',
        });
        await tickets.cancel(t.show, t.shotId, { by: 'ana (td)', reason: 'the sequence was cut' });
        await save('over-budget-award-then-cancel', t.handle);
      }
      // Cancelled while bidding, with a bid in.
      {
        const t = await openTicket();
        await tickets.bid(t.show, t.shotId, bid('vendor-b', 400_000, 4));
        await tickets.cancel(t.show, t.shotId, { by: 'ana (td)', reason: 'the shot went to the AI route' });
        await save('cancel-while-bidding', t.handle);
      }
      // A worker killed mid-way: SIGKILL after the delivery, another worker takes the ticket to its end.
      {
        const t = await openTicket();
        const b = await tickets.bid(t.show, t.shotId, bid('vendor-a', 900_000, 8));
        await tickets.award(t.show, t.shotId, { bidId: b.bidId, by: 'ana (td)', reason: '' });
        await tickets.deliver(t.show, t.shotId, { vendorId: 'vendor-a', files: files('v001'), note: '' });
        await stopProcess(worker, 'SIGKILL');
        worker = spawnRole('temporal-worker', workerEnv);
        await tickets.review(t.show, t.shotId, { outcome: 'approved', notes: '', by: 'ana (td)' });
        await tickets.invoice(t.show, t.shotId, {
          vendorId: 'vendor-a',
          invoiceId: 'INV-1',
          amount: usd(900_000),
        });
        await save('worker-killed-mid-way', t.handle);
      }
    } finally {
      await stopProcess(worker, 'SIGTERM');
      await app.running.stop();
    }
  }, 300_000);

  it('with windows of seconds and the auto-award rule: escalation then auto-award, overdue', async () => {
    const { app, tickets, openTicket, save } = await production(
      ['api', 'router', 'vendor-worker', 'temporal-worker', 'budget'],
      { bidWindowMs: 1_500, dayMs: 1_000, autoAward: 'lowest-within-budget' },
    );
    try {
      // No bids by the deadline (escalated), then two bids, auto-awarded to the lowest at the next.
      {
        const t = await openTicket();
        await eventually(
          t.shotTypes,
          (types) => types.includes('vendor.bids.escalated.v1'),
          'the escalation',
          30_000,
        );
        await tickets.bid(t.show, t.shotId, bid('vendor-a', 700_000, 30));
        await tickets.bid(t.show, t.shotId, bid('vendor-b', 650_000, 40));
        await eventually(
          t.shotTypes,
          (types) => types.includes('vendor.ticket.awarded.v1'),
          'the auto-award',
          30_000,
        );
        // Usually vendor-b's, unless its bid came in after the next deadline.
        const { vendorId, amount } = (await tickets.state(t.show, t.shotId)).award!;
        await tickets.deliver(t.show, t.shotId, { vendorId, files: files('v001'), note: '' });
        await tickets.review(t.show, t.shotId, { outcome: 'approved', notes: '', by: 'ana (td)' });
        await tickets.invoice(t.show, t.shotId, { vendorId, invoiceId: 'INV-7', amount });
        await save('escalation-then-auto-award', t.handle);
      }
      // Due in one day (1 s) with nothing delivered: overdue; the late delivery is still taken.
      {
        const t = await openTicket();
        await tickets.bid(t.show, t.shotId, bid('vendor-a', 500_000, 1));
        await eventually(
          t.shotTypes,
          (types) => types.includes('vendor.ticket.overdue.v1'),
          'the overdue event',
          30_000,
        );
        await tickets.deliver(t.show, t.shotId, { vendorId: 'vendor-a', files: files('v001'), note: 'late' });
        await tickets.review(t.show, t.shotId, { outcome: 'approved', notes: '', by: 'ana (td)' });
        await tickets.invoice(t.show, t.shotId, {
          vendorId: 'vendor-a',
          invoiceId: 'INV-8',
          amount: usd(500_000),
        });
        await save('overdue', t.handle);
      }
      // Delivered on time but in review when the date passes: overdue only once changes are requested.
      {
        const t = await openTicket();
        await tickets.bid(t.show, t.shotId, bid('vendor-b', 300_000, 2));
        await eventually(
          t.shotTypes,
          (types) => types.includes('vendor.ticket.awarded.v1'),
          'the auto-award',
          30_000,
        );
        const { award } = await tickets.deliver(t.show, t.shotId, {
          vendorId: 'vendor-b',
          files: files('v001'),
          note: '',
        });
        await eventually(
          async () => Date.now(),
          (now) => now > Date.parse(award!.dueAt) + 500,
          'the due date to pass',
          30_000,
        );
        await tickets.review(t.show, t.shotId, {
          outcome: 'changes-requested',
          notes: 'Too dark',
          by: 'ana (td)',
        });
        await eventually(
          t.shotTypes,
          (types) => types.includes('vendor.ticket.overdue.v1'),
          'the overdue event',
          30_000,
        );
        await tickets.cancel(t.show, t.shotId, { by: 'ana (td)', reason: 'the vendor could not finish' });
        await save('overdue-after-changes-then-cancel', t.handle);
      }
    } finally {
      await app.running.stop();
    }
  }, 300_000);

  it('with windows of seconds and no auto-award: escalations with and without bids, then a person awards', async () => {
    const { app, tickets, openTicket, save } = await production(
      ['api', 'router', 'vendor-worker', 'temporal-worker', 'budget'],
      { bidWindowMs: 1_500, dayMs: 1_000, autoAward: 'none' },
    );
    try {
      const t = await openTicket();
      await eventually(
        t.shotTypes,
        (types) => types.includes('vendor.bids.escalated.v1'),
        'an escalation',
        30_000,
      );
      const b = await tickets.bid(t.show, t.shotId, bid('vendor-a', 800_000, 60));
      await eventually(
        t.shotTypes,
        (types) => types.filter((x) => x === 'vendor.bids.escalated.v1').length >= 2,
        'an escalation with a bid waiting',
        30_000,
      );
      await tickets.award(t.show, t.shotId, { bidId: b.bidId, by: 'ana (td)', reason: '' });
      await tickets.deliver(t.show, t.shotId, { vendorId: 'vendor-a', files: files('v001'), note: '' });
      await tickets.review(t.show, t.shotId, { outcome: 'approved', notes: '', by: 'ana (td)' });
      await tickets.invoice(t.show, t.shotId, {
        vendorId: 'vendor-a',
        invoiceId: 'INV-9',
        amount: usd(800_000),
      });
      await save('escalations-then-award', t.handle);
    } finally {
      await app.running.stop();
    }
  }, 300_000);

  it('with windows of seconds, the auto-award rule and bids in pesos: a peso bid auto-awarded, a bid without a rate', async () => {
    const { app, tickets, openTicket, save } = await production(
      ['api', 'router', 'vendor-worker', 'temporal-worker', 'budget'],
      { bidWindowMs: 5_000, dayMs: 1_000, autoAward: 'lowest-within-budget' },
    );
    const accountant = app.client(tokens.accountant);
    const today = new Date().toISOString().slice(0, 10);
    try {
      // A dollar line and today's peso rate; no rate for reais.
      await accountant.request('PUT', '/v1/budgets/lines/NTH-VFX', z.any(), {
        show: 'NTH',
        currency: 'USD',
        amount: '250000.00',
      });
      await accountant.request('PUT', '/v1/fx-rates', z.any(), {
        rates: [{ date: today, from: 'USD', to: 'ARS', rate: '1000' }],
      });
      await eventually(
        () =>
          accountant.request(
            'GET',
            '/v1/fx-rates',
            z.object({ rates: z.array(z.object({ date: z.string() }).loose()) }),
          ),
        (r) => r.data.rates.some((x) => x.date === today),
        'the rate in the ledger',
      );
      // A dollar bid and a lower one in pesos (ARS 6,500,000.00 = USD 6,500.00): the peso bid is auto-awarded.
      {
        const t = await openTicket();
        await tickets.bid(t.show, t.shotId, bid('vendor-a', 700_000, 30));
        await tickets.bid(t.show, t.shotId, bid('vendor-b', 650_000_000, 30, 'ARS'));
        await eventually(
          t.shotTypes,
          (types) => types.includes('vendor.ticket.awarded.v1'),
          'the auto-award',
          30_000,
        );
        const { vendorId, amount } = (await tickets.state(t.show, t.shotId)).award!;
        await tickets.deliver(t.show, t.shotId, { vendorId, files: files('v001'), note: '' });
        await tickets.review(t.show, t.shotId, { outcome: 'approved', notes: '', by: 'ana (td)' });
        await tickets.invoice(t.show, t.shotId, { vendorId, invoiceId: 'INV-ARS-1', amount });
        await save('peso-bid-auto-awarded', t.handle);
      }
      // A bid in reais, which have no rate: not auto-awarded (escalated), refused to a person, who awards the dollar bid.
      {
        const t = await openTicket();
        const reais = await tickets.bid(t.show, t.shotId, bid('vendor-a', 3_000_000, 30, 'BRL'));
        const dollars = await tickets.bid(t.show, t.shotId, bid('vendor-b', 700_000, 30));
        await eventually(
          async () => (await app.client().getShot(t.shotId)).history!,
          (events) =>
            events.some(
              (e) =>
                e.type === 'io.shotcaller.vendor.bids.escalated.v1' &&
                /not auto-awarded/.test(JSON.stringify(e.data)),
            ),
          'the escalation naming the missing rate',
          30_000,
        );
        await tickets.award(t.show, t.shotId, { bidId: reais.bidId, by: 'ana (td)', reason: '' }).then(
          () => {
            throw new Error('a bid without a rate was awarded against the line');
          },
          () => undefined,
        );
        await tickets.award(t.show, t.shotId, { bidId: dollars.bidId, by: 'ana (td)', reason: '' });
        await tickets.cancel(t.show, t.shotId, { by: 'ana (td)', reason: 'the sequence was cut' });
        await save('bid-without-rate-then-award', t.handle);
      }
    } finally {
      await app.running.stop();
    }
  }, 300_000);
});
