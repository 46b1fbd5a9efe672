import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TicketState } from '../src/ticket';
import { ShotgridConfig, ShotgridRequestFailed, ShotgridTracker } from '../src/trackers/shotgrid-tracker';
import type { TrackerTicket } from '../src/trackers/tracker';
import { FakeShotgrid } from './fake-shotgrid';

const credentials = { clientId: 'shotcaller', clientSecret: 's3cret' };
let server: FakeShotgrid;
let url: string;
const waits: number[] = [];
const tracker = (overrides: Record<string, unknown> = {}) =>
  new ShotgridTracker(
    ShotgridConfig.parse({ url, ...credentials, projectId: 85, pageSize: 2, ...overrides }),
    async (ms) => {
      waits.push(ms);
    },
  );

const ticket: TrackerTicket = {
  ticketId: 'tk-0001',
  shotId: 'sh-0001',
  show: 'NTH',
  label: 'NTH/EP01/COL/COL_0010',
  brief: 'The tower falls.',
  frames: { start: 1001, end: 1048 },
  budgetLine: 'NTH-VFX',
  estimate: { amountMinor: 1_000_000, currency: 'USD' },
  terms: { tracker: 'shotgrid', vendors: ['vendor-a'], bidWindowMs: 1, dayMs: 1, autoAward: 'none' },
  workflowId: 'wf-1',
  bidDeadline: '2026-12-01T00:00:00.000Z',
};
const state = (phase: TicketState['phase']): TicketState => ({
  ticketId: 'tk-0001',
  workflowId: 'wf-1',
  shotId: 'sh-0001',
  show: 'NTH',
  label: ticket.label,
  tracker: 'shotgrid',
  vendors: ['vendor-a'],
  phase,
  escalations: 0,
  bids: [],
  overdue: false,
  deliveries: [],
  reviews: [],
});

beforeEach(async () => {
  server = new FakeShotgrid(credentials);
  url = await server.start();
  waits.length = 0;
  // More shots than one page holds, so finding ours means following links.next.
  for (const code of ['COL_0001', 'COL_0002', 'COL_0003', 'COL_0004'])
    server.seed('shots', { code, project: { type: 'Project', id: 85 } });
  server.seed('shots', { code: 'COL_0010', project: { type: 'Project', id: 85 } });
});
afterEach(() => server.stop());

describe('the shotgrid tracker', () => {
  it('signs in with client credentials and creates a Ticket linked to the Shot', async () => {
    const { trackerRef } = await tracker().open(ticket);
    const created = server.entities.find((e) => e.type === 'Ticket')!;
    expect(trackerRef).toBe(String(created.id));
    expect(created.attributes).toMatchObject({
      title: '[tk-0001] NTH/EP01/COL/COL_0010',
      project: { type: 'Project', id: 85 },
      sg_status_list: 'opn',
      sg_shot: { type: 'Shot', id: server.entities.find((e) => e.attributes.code === 'COL_0010')!.id },
    });
    expect(server.tokensIssued).toBe(1);
  });

  it('follows links.next through every page', async () => {
    for (let i = 0; i < 5; i++)
      server.seed('shots', { code: 'COL_0099', project: { type: 'Project', id: 85 } });
    const all = await tracker().findAll('shots', { code: 'COL_0099', 'project.Project.id': 85 }, ['id']);
    expect(all).toHaveLength(5);
    expect(server.requests.filter((r) => r.path.startsWith('/api/v1/entity/shots')).length).toBe(3);
  });

  it('finds the ticket a retried open already made instead of creating another', async () => {
    const t = tracker();
    const first = await t.open(ticket);
    const again = await t.open(ticket);
    expect(again).toEqual(first);
    expect(server.entities.filter((e) => e.type === 'Ticket')).toHaveLength(1);
  });

  it('waits out a 429 as Retry-After says, then updates the status and posts a Note', async () => {
    const t = tracker();
    const { trackerRef } = await t.open(ticket);
    server.throttleNext = 2;
    await t.update(trackerRef, {
      status: 'awarded',
      note: 'Awarded to vendor-a',
      ticket: state('in-progress'),
    });
    expect(waits).toEqual([1000, 1000]);
    const tk = server.entities.find((e) => e.id === Number(trackerRef))!;
    expect(tk.attributes.sg_status_list).toBe('ip');
    const note = server.entities.find((e) => e.type === 'Note')!;
    expect(note.attributes).toMatchObject({
      content: 'Awarded to vendor-a',
      note_links: [{ type: 'Ticket', id: Number(trackerRef) }],
    });
  });

  it('gives up after its retries with the server’s own error', async () => {
    const t = tracker({ maxRetries: 1 });
    const { trackerRef } = await t.open(ticket);
    server.throttleNext = 5;
    const error = await t
      .update(trackerRef, { status: 'closed', note: 'done', ticket: state('closed') })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ShotgridRequestFailed);
    expect(error.message).toMatch(/HTTP 429.*Too many requests/);
  });

  it('says so when the script credentials are wrong', async () => {
    const error = await new ShotgridTracker(
      ShotgridConfig.parse({ url, clientId: 'shotcaller', clientSecret: 'wrong', projectId: 85 }),
    )
      .open(ticket)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ShotgridRequestFailed);
    expect(error.message).toMatch(/signing in.*Invalid credentials/);
  });
});
