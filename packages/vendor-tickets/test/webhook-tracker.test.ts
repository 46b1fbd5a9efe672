import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrackerTicket } from '../src/trackers/tracker';
import { WebhookTracker, WebhookTrackerFailed } from '../src/trackers/webhook-tracker';

const secret = `whsec_${Buffer.from('vendor-a-signing-secret-0123456789').toString('base64')}`;
let server: Server;
let url: string;
let status = 200;
const received: Array<{ headers: Record<string, string>; body: string }> = [];

beforeEach(async () => {
  received.length = 0;
  status = 200;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tickets`;
});
afterEach(() => new Promise((r) => server.close(r)));

const ticket = (vendors: string[]): TrackerTicket => ({
  ticketId: 'tk-9',
  shotId: 'sh-9',
  show: 'NTH',
  label: 'NTH/COL/COL_0090',
  brief: 'Dust.',
  frames: { start: 1, end: 10 },
  budgetLine: 'NTH-VFX',
  estimate: { amountMinor: 1, currency: 'USD' },
  terms: { tracker: 'webhook', vendors, bidWindowMs: 1, dayMs: 1, autoAward: 'none' },
  workflowId: 'wf-9',
  bidDeadline: '2026-12-01T00:00:00.000Z',
});

describe('the webhook tracker', () => {
  it('sends each invited vendor a Standard Webhooks message its secret verifies, with a stable id', async () => {
    await new WebhookTracker({ endpoints: { 'vendor-a': { url, secret } }, timeoutMs: 5000 }).open(
      ticket(['vendor-a']),
    );
    expect(received).toHaveLength(1);
    const { headers, body } = received[0]!;
    expect(headers['webhook-id']).toBe('tk-9.opened.vendor-a');
    const payload = new Webhook(secret).verify(body, headers) as {
      type: string;
      ticket: { ticketId: string };
    };
    expect(payload).toMatchObject({ type: 'ticket.opened', ticket: { ticketId: 'tk-9' } });
  });

  it('fails clearly for a vendor with no endpoint, and for a refusing endpoint', async () => {
    const tracker = new WebhookTracker({ endpoints: { 'vendor-a': { url, secret } }, timeoutMs: 5000 });
    await expect(tracker.open(ticket(['vendor-z']))).rejects.toThrow(/vendor-z: no endpoint/);
    status = 503;
    await expect(tracker.open(ticket(['vendor-a']))).rejects.toBeInstanceOf(WebhookTrackerFailed);
  });
});
