import { execFileSync } from 'node:child_process';
import { temporalBinary } from '@shotcaller/engines';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { TicketClient, TicketInput } from '@shotcaller/vendor-tickets';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { runShotcaller, tokens } from '../support/shotcaller';

// One "day" of turnaround is 1 s and bids stay open 1.5 s: a weeks-long ticket runs in seconds.
let app: Awaited<ReturnType<typeof runShotcaller>>;
beforeAll(async () => {
  app = await runShotcaller(['api', 'router', 'vendor-worker', 'temporal-worker', 'budget'], {
    temporal: { address: inject('temporalAddress'), namespace: inject('temporalNamespace') },
    vendor: {
      vendors: ['vendor-a', 'vendor-b'],
      bidWindowMs: 1_500,
      dayMs: 1_000,
      autoAward: 'lowest-within-budget',
    },
  });
}, 120_000);
afterAll(() => app?.running.stop());

const call = (token: string, method: string, path: string, body?: unknown) =>
  app.client(token).request(method, path, z.any(), body);

async function vendorShot() {
  const { shot } = await app.client().submitShot(aShotRequest({ requestedRoute: 'vendor' }));
  await eventually(
    () => app.client().getShot(shot.id),
    (s) => s.state === 'in-progress' && !!s.vendorWorkflowId,
    'the ticket opened',
    60_000,
  );
  return { shotId: shot.id, ticketId: `tk-${shot.id.slice(3)}` };
}

const typesOf = async (shotId: string) =>
  (await app.client().getShot(shotId)).history!.map((e) => e.type.replace(/^io\.shotcaller\./, ''));

describe('ticket timers, with durations from the ticket’s terms', () => {
  it('escalates a bid deadline that passes with no bids, then auto-awards the lowest bid at the next', async () => {
    const { shotId, ticketId } = await vendorShot();
    await eventually(
      () => typesOf(shotId),
      (t) => t.includes('vendor.bids.escalated.v1'),
      'the escalation',
      30_000,
    );
    await call(tokens.vendorA, 'POST', `/v1/vendor/tickets/${ticketId}/bids`, {
      amount: { amountMinor: 700_000, currency: 'USD' },
      turnaroundDays: 30,
    });
    await call(tokens.vendorB, 'POST', `/v1/vendor/tickets/${ticketId}/bids`, {
      amount: { amountMinor: 650_000, currency: 'USD' },
      turnaroundDays: 40,
    });
    const ticket = await eventually(
      () => call(tokens.td, 'GET', `/v1/vendor/tickets/${ticketId}`),
      (r) => !!r.data.award,
      'the auto-award',
      30_000,
    );
    expect(ticket.data.award).toMatchObject({ vendorId: 'vendor-b', by: 'auto-award' });
    expect(ticket.data.escalations).toBeGreaterThanOrEqual(1);
    const types = await typesOf(shotId);
    expect(types.filter((t) => t === 'vendor.ticket.awarded.v1')).toHaveLength(1);
    expect(types.indexOf('vendor.bids.escalated.v1')).toBeLessThan(types.indexOf('vendor.bid.received.v1'));
  }, 60_000);

  it('auto-awards by price in the line’s currency, and not while a bid’s rate is missing, saying which', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const rates = (rate: Record<string, string>) =>
      call(tokens.accountant, 'PUT', '/v1/fx-rates', {
        rates: [{ date: today, from: 'USD', ...rate }],
      });
    await rates({ to: 'ARS', rate: '1000' });
    const { shotId, ticketId } = await vendorShot();
    // ARS 6,500,000.00 is USD 6,500.00; BRL 35,000.00 has no rate yet (then USD 7,000.00 at 5).
    // The reais first: a deadline between the two bids still finds a bid it cannot price.
    await call(tokens.vendorB, 'POST', `/v1/vendor/tickets/${ticketId}/bids`, {
      amount: { amountMinor: 3_500_000, currency: 'BRL' },
      turnaroundDays: 30,
    });
    await call(tokens.vendorA, 'POST', `/v1/vendor/tickets/${ticketId}/bids`, {
      amount: { amountMinor: 650_000_000, currency: 'ARS' },
      turnaroundDays: 30,
    });
    const held = await eventually(
      async () => (await app.client().getShot(shotId)).history!,
      (events) => events.some((e) => /not auto-awarded/.test(JSON.stringify(e.data))),
      'an escalation naming the missing rate',
      30_000,
    );
    const escalated = held.find((e) => /not auto-awarded/.test(JSON.stringify(e.data)))!;
    expect((escalated.data as { reason: string }).reason).toMatch(
      new RegExp(
        `^\\d bid\\(s\\) waiting for an award since .*; not auto-awarded, since bid-1 has no BRL→USD rate for ${today}: record the rate, or award a bid by hand$`,
      ),
    );
    expect((await call(tokens.td, 'GET', `/v1/vendor/tickets/${ticketId}`)).data.award).toBeUndefined();

    await rates({ to: 'BRL', rate: '5' });
    const ticket = await eventually(
      () => call(tokens.td, 'GET', `/v1/vendor/tickets/${ticketId}`),
      (r) => !!r.data.award,
      'the auto-award once the rate is recorded',
      30_000,
    );
    expect(ticket.data.award).toMatchObject({
      vendorId: 'vendor-a',
      by: 'auto-award',
      amount: { amountMinor: 650_000_000, currency: 'ARS' },
    });
  }, 60_000);

  it('raises vendor.ticket.overdue once when the due date passes without a delivery, and still takes the delivery', async () => {
    const { shotId, ticketId } = await vendorShot();
    await call(tokens.vendorA, 'POST', `/v1/vendor/tickets/${ticketId}/bids`, {
      amount: { amountMinor: 500_000, currency: 'USD' },
      turnaroundDays: 1,
    });
    await eventually(
      () => typesOf(shotId),
      (t) => t.includes('vendor.ticket.overdue.v1'),
      'the overdue event',
      30_000,
    );
    const late = await app
      .client(tokens.vendorA)
      .deliver(ticketId, [{ name: 'v001.exr', bytes: Buffer.from('late') }]);
    expect(late).toMatchObject({ phase: 'in-review', overdue: true });
    expect((await typesOf(shotId)).filter((t) => t === 'vendor.ticket.overdue.v1')).toHaveLength(1);
  }, 60_000);

  it('is one workflow however often it is started, listed and described by the temporal CLI', async () => {
    const { shotId } = await vendorShot();
    const shot = await app.client().getShot(shotId);
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const tickets = new TicketClient(new Client({ connection, namespace: inject('temporalNamespace') }), {
        deployment: app.deployment,
        taskQueue: `shotcaller-${app.deployment}`,
      });
      const input = TicketInput.parse({
        ticketId: `tk-${shotId.slice(3)}`,
        shotId,
        show: shot.show,
        label: 'NTH/EP01/COL/again',
        brief: shot.request.brief,
        frames: shot.request.frames,
        budgetLine: shot.request.budgetLine,
        estimate: { amountMinor: 1, currency: 'USD' },
        terms: { vendors: ['vendor-a'] },
      });
      expect(await tickets.start(input)).toEqual({ workflowId: shot.vendorWorkflowId, started: false });

      const cli = (...args: string[]) =>
        execFileSync(
          temporalBinary(),
          [...args, '--address', inject('temporalAddress'), '--namespace', inject('temporalNamespace')],
          { encoding: 'utf8' },
        );
      const listed = await eventually(
        () => cli('workflow', 'list', '--query', `ShotcallerShotId = '${shotId}'`, '--output', 'json'),
        (out) => out.includes(shot.vendorWorkflowId!),
        'the workflow in the visibility store',
        30_000,
      );
      // `--output json` prints one execution per JSON document (an array in newer CLIs).
      const executions = JSON.parse(
        listed.trim().startsWith('[') ? listed : `[${listed.trim().replace(/}\s*{/g, '},{')}]`,
      );
      expect(executions.map((e: { execution: { workflowId: string } }) => e.execution.workflowId)).toEqual([
        shot.vendorWorkflowId,
      ]);
      const described = cli(
        'workflow',
        'describe',
        '--workflow-id',
        shot.vendorWorkflowId!,
        '--output',
        'json',
      );
      expect(described).toContain('ShotcallerShow');
      expect(described).toContain(shotId);
      expect(shot.vendorWorkflowId).toBe(`shotcaller-${app.deployment}-ticket-NTH-${shotId}`);
    } finally {
      await connection.close();
    }
  }, 60_000);
});
