import { ApiError } from '@shotcaller/sdk';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { runShotcaller, tokens } from '../support/shotcaller';

const sha = (c: string) => c.repeat(64);
const Any = z.any();

let app: Awaited<ReturnType<typeof runShotcaller>>;
beforeAll(async () => {
  app = await runShotcaller(['api', 'router', 'vendor-worker', 'temporal-worker', 'budget'], {
    temporal: { address: inject('temporalAddress'), namespace: inject('temporalNamespace') },
    vendor: { vendors: ['vendor-a', 'vendor-b'], bidWindowMs: 600_000, dayMs: 3_600_000 },
  });
}, 120_000);
afterAll(() => app?.running.stop());

const call = (token: string, method: string, path: string, body?: unknown) =>
  app.client(token).request(method, path, Any, body);

async function vendorShot() {
  const { shot } = await app.client().submitShot(aShotRequest({ requestedRoute: 'vendor' }));
  const opened = await eventually(
    () => app.client().getShot(shot.id),
    (s) => s.state === 'in-progress' && !!s.vendorWorkflowId,
    'the ticket opened',
    60_000,
  );
  return { shot: opened, ticketId: `tk-${shot.id.slice(3)}` };
}

describe('a vendor ticket', () => {
  it('runs bid → award → delivery → changes → redelivery → approval → invoice → closed, each event once and in order', async () => {
    const { shot, ticketId } = await vendorShot();
    const listed = await call(tokens.vendorA, 'GET', '/v1/vendor/tickets');
    expect(listed.data.tickets.map((t: { ticketId: string }) => t.ticketId)).toContain(ticketId);

    const bidA = await call(tokens.vendorA, 'POST', `/v1/vendor/tickets/${ticketId}/bids`, {
      amount: { amountMinor: 1_800_000, currency: 'USD' },
      turnaroundDays: 10,
    });
    const bidB = await call(tokens.vendorB, 'POST', `/v1/vendor/tickets/${ticketId}/bids`, {
      amount: { amountMinor: 1_200_000, currency: 'USD' },
      turnaroundDays: 12,
      note: 'includes two rounds of notes',
    });
    expect(bidA.status).toBe(201);
    await call(tokens.td, 'POST', `/v1/vendor/tickets/${ticketId}/award`, { bidId: bidB.data.bidId });
    // Only the awarded vendor may deliver.
    const wrong = await call(tokens.vendorA, 'POST', `/v1/vendor/tickets/${ticketId}/deliveries`, {
      files: [{ uri: 's3://a/v1.exr', sha256: sha('a') }],
    }).catch((e) => e);
    expect(wrong).toBeInstanceOf(ApiError);
    expect((wrong as ApiError).status).toBe(403);

    await app
      .client(tokens.vendorB)
      .deliver(ticketId, [{ name: 'COL_v001.exr', bytes: Buffer.from('v001') }]);
    await call(tokens.td, 'POST', `/v1/vendor/tickets/${ticketId}/review`, {
      outcome: 'changes-requested',
      notes: 'More dust on the second impact',
    });
    await app
      .client(tokens.vendorB)
      .deliver(ticketId, [{ name: 'COL_v002.exr', bytes: Buffer.from('v002') }]);
    await call(tokens.td, 'POST', `/v1/vendor/tickets/${ticketId}/review`, { outcome: 'approved' });
    const closed = await call(tokens.vendorB, 'POST', `/v1/vendor/tickets/${ticketId}/invoices`, {
      invoiceId: 'INV-2207',
      amount: { amountMinor: 1_250_000, currency: 'USD' },
    });
    expect(closed.data).toMatchObject({ phase: 'closed', outcome: 'completed', overdue: false });
    expect(closed.data.reviews.map((r: { round: number }) => r.round)).toEqual([1, 2]);

    const view = await app.client().getShot(shot.id);
    expect(view.state).toBe('approved');
    const types = view.history!.map((e) => e.type.replace('io.shotcaller.', '').replace(/\.v1$/, ''));
    const ticketSteps = types.slice(types.indexOf('shot.started'));
    expect(ticketSteps).toEqual([
      'shot.started',
      'vendor.ticket.opened',
      'vendor.bid.received',
      'vendor.bid.received',
      'vendor.ticket.awarded',
      'vendor.delivery.received',
      'shot.delivered',
      'vendor.review.recorded',
      'vendor.delivery.received',
      'shot.delivered',
      'vendor.review.recorded',
      'shot.approved',
      'vendor.invoice.received',
      'vendor.ticket.closed',
    ]);
    const ids = view.history!.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);

    // The ledger: awarded is committed, the invoice is actual.
    const budget = await eventually(
      () => call(tokens.accountant, 'GET', '/v1/budgets?show=NTH'),
      (r) =>
        r.data.byRoute.some(
          (row: { key: string; actual: number }) => row.key === 'vendor' && row.actual >= 1_250_000,
        ),
      'the invoice in the ledger',
    );
    expect(budget.status).toBe(200);

    // A closed ticket says so.
    const late = await call(tokens.vendorA, 'POST', `/v1/vendor/tickets/${ticketId}/bids`, {
      amount: { amountMinor: 1, currency: 'USD' },
      turnaroundDays: 1,
    }).catch((e) => e);
    expect(late).toBeInstanceOf(ApiError);
    expect((late as ApiError).status).toBe(409);
    expect((late as ApiError).problem.detail).toMatch(/closed/);
    expect((await call(tokens.td, 'GET', `/v1/vendor/tickets/${ticketId}`)).data.phase).toBe('closed');
  }, 120_000);

  it('refuses an award over the budget line’s remainder unless someone approves the overrun', async () => {
    const { ticketId } = await vendorShot();
    const bid = await call(tokens.vendorA, 'POST', `/v1/vendor/tickets/${ticketId}/bids`, {
      amount: { amountMinor: 90_000_000_000, currency: 'USD' },
      turnaroundDays: 5,
    });
    await call(tokens.accountant, 'PUT', '/v1/budgets/lines/NTH-VFX', {
      show: 'NTH',
      currency: 'USD',
      amount: '250000.00',
    }).catch(() => undefined);
    await eventually(
      () => call(tokens.accountant, 'GET', '/v1/budgets?show=NTH'),
      (r) => r.data.lines.some((l: { key: string }) => l.key === 'NTH-VFX'),
      'the budget line',
    );
    const refused = await call(tokens.td, 'POST', `/v1/vendor/tickets/${ticketId}/award`, {
      bidId: bid.data.bidId,
    }).catch((e) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).problem.type).toBe('urn:shotcaller:problem:award_over_budget');
    const awarded = await call(tokens.td, 'POST', `/v1/vendor/tickets/${ticketId}/award`, {
      bidId: bid.data.bidId,
      overBudgetApprovedBy: 'ines (line producer)',
      reason: 'the only vendor with a crowd pipeline',
    });
    expect(awarded.data.award).toMatchObject({
      vendorId: 'vendor-a',
      overBudgetApprovedBy: 'ines (line producer)',
    });
    const view = await app.client().getShot(awarded.data.shotId);
    expect(view.history!.filter((e) => e.type === 'io.shotcaller.budget.overrun.approved.v1')).toHaveLength(
      1,
    );
  }, 120_000);
});
