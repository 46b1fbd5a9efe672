import { type ChildProcess, spawn } from 'node:child_process';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { shotcallerArgs } from '../support/program';
import { runShotcaller, tokens } from '../support/shotcaller';

let app: Awaited<ReturnType<typeof runShotcaller>>;
beforeAll(async () => {
  app = await runShotcaller(['api', 'router', 'vendor-worker'], {
    temporal: { address: inject('temporalAddress'), namespace: inject('temporalNamespace') },
    vendor: { vendors: ['vendor-a'], bidWindowMs: 600_000, dayMs: 3_600_000 },
  });
}, 120_000);
afterAll(() => app?.running.stop());

const temporalWorker = () =>
  spawn(process.execPath, shotcallerArgs(['start', '--role', 'temporal-worker']), {
    env: {
      ...process.env,
      REDIS_URL: inject('redisUrl'),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      SHOTCALLER_DEPLOYMENT: app.deployment,
      SHOTCALLER_DATA_DIR: app.config.dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
const stop = async (p: ChildProcess, signal: NodeJS.Signals) => {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill(signal);
  await exited;
};

const call = (token: string, method: string, path: string, body?: unknown) =>
  app.client(token).request(method, path, z.any(), body);

describe('a temporal worker killed mid-lifecycle', () => {
  it('resumes the ticket where it was after a restart, and no event is duplicated', async () => {
    const first = temporalWorker();
    let second: ChildProcess | undefined;
    try {
      const { shot } = await app.client().submitShot(aShotRequest({ requestedRoute: 'vendor' }));
      const ticketId = `tk-${shot.id.slice(3)}`;
      await eventually(
        () => app.client().getShot(shot.id),
        (s) => s.state === 'in-progress' && !!s.vendorWorkflowId,
        'the ticket opened',
        90_000,
      );
      const bid = await call(tokens.vendorA, 'POST', `/v1/vendor/tickets/${ticketId}/bids`, {
        amount: { amountMinor: 900_000, currency: 'USD' },
        turnaroundDays: 8,
      });
      await call(tokens.td, 'POST', `/v1/vendor/tickets/${ticketId}/award`, { bidId: bid.data.bidId });
      await app.client(tokens.vendorA).deliver(ticketId, [{ name: 'v001.exr', bytes: Buffer.from('v001') }]);

      await stop(first, 'SIGKILL');
      second = temporalWorker();

      await call(tokens.td, 'POST', `/v1/vendor/tickets/${ticketId}/review`, { outcome: 'approved' });
      const closed = await call(tokens.vendorA, 'POST', `/v1/vendor/tickets/${ticketId}/invoices`, {
        invoiceId: 'INV-1',
        amount: { amountMinor: 900_000, currency: 'USD' },
      });
      expect(closed.data).toMatchObject({ phase: 'closed', outcome: 'completed' });
      expect(closed.data.bids).toHaveLength(1);
      expect(closed.data.deliveries).toHaveLength(1);

      const history = (await app.client().getShot(shot.id)).history!;
      const count = (type: string) => history.filter((e) => e.type === `io.shotcaller.${type}.v1`).length;
      for (const type of [
        'vendor.ticket.opened',
        'vendor.bid.received',
        'vendor.ticket.awarded',
        'vendor.delivery.received',
        'vendor.review.recorded',
        'shot.approved',
        'vendor.invoice.received',
        'vendor.ticket.closed',
      ])
        expect(count(type), type).toBe(1);
      expect((await app.client().getShot(shot.id)).state).toBe('approved');
    } finally {
      await stop(first, 'SIGKILL');
      if (second) await stop(second, 'SIGTERM');
    }
  }, 120_000);
});
