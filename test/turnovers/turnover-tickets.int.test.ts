import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@shotcaller/cli';
import type { TurnoverReport } from '@shotcaller/contracts';
import { eventually } from '@shotcaller/testkit';
import { otioPython } from '@shotcaller/turnovers';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { runShotcaller, tokens } from '../support/shotcaller';

let dir: string;
let app: Awaited<ReturnType<typeof runShotcaller>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'turnover-tickets-'));
  execFileSync(otioPython(), [new URL('./make_cuts.py', import.meta.url).pathname, dir]);
  writeFileSync(
    join(dir, 'mapping.yaml'),
    'show: ONE\nbudgetLine: ONE-VFX\ndeadline: 2027-03-12T18:00:00Z\nrequestedRoute: vendor\n',
  );
  app = await runShotcaller(['api', 'router', 'vendor-worker', 'temporal-worker'], {
    temporal: { address: inject('temporalAddress'), namespace: inject('temporalNamespace') },
    vendor: { vendors: ['vendor-a'], bidWindowMs: 600_000, dayMs: 3_600_000 },
  });
}, 120_000);

afterAll(async () => {
  await app?.running.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function turnover(file: string): Promise<TurnoverReport> {
  const out: string[] = [];
  const code = await runCli(
    ['turnover', 'import', join(dir, file), '--mapping', join(dir, 'mapping.yaml'), '--json'],
    { out: (t) => out.push(t), err: (t) => out.push(t), tty: false },
    { SHOTCALLER_API_URL: app.running.apiUrl!, SHOTCALLER_TOKEN: tokens.td },
  );
  expect(code, out.join('\n')).toBe(0);
  return JSON.parse(out[0]!) as TurnoverReport;
}

describe('a re-cut of a shot a vendor is working on', () => {
  it('is not revised: the change is posted to the vendor ticket, and the TD sees it in the report', async () => {
    const [created] = (await turnover('one.edl')).entries;
    expect(created).toMatchObject({ change: 'new', action: 'created' });
    const shot = await eventually(
      () => app.client().getShot(created!.shotId!),
      (s) => s.state === 'in-progress' && !!s.vendorWorkflowId,
      'the vendor ticket opened',
      60_000,
    );

    const [entry] = (await turnover('one-recut.edl')).entries;
    expect(entry).toMatchObject({
      change: 'lengthened',
      frames: 6,
      withinHandles: true,
      state: 'in-progress',
      action: 'posted-to-ticket',
    });
    const ticketId = `tk-${shot.id.slice(3)}`;
    const note =
      'Editorial re-turnover: COL_0010 lengthened by 6 frames, within the handles; its source slipped -4 frames.';
    const { data } = await app
      .client(tokens.td)
      .request(
        'GET',
        `/v1/vendor/tickets/${ticketId}`,
        z.object({ notes: z.array(z.object({ text: z.string(), by: z.string(), at: z.string() })) }),
      );
    expect(data.notes.map((n) => [n.by, n.text])).toEqual([['ana (td)', note]]);
    // The vendor reads it in their tracker (Shotcaller's own, here).
    const listed = await eventually(
      () =>
        app.client(tokens.vendorA).request(
          'GET',
          '/v1/vendor/tickets',
          z.object({
            tickets: z.array(
              z.object({ ticketId: z.string(), notes: z.array(z.object({ note: z.string() })) }),
            ),
          }),
        ),
      (r) => r.data.tickets.some((t) => t.ticketId === ticketId && t.notes.length > 1),
      "the note in the vendor's tracker",
    );
    expect(listed.data.tickets.find((t) => t.ticketId === ticketId)!.notes.at(-1)!.note).toBe(
      `ana (td): ${note}`,
    );
    // The request is the vendor's brief: it stays as awarded.
    expect((await app.client().getShot(shot.id)).request.frames).toEqual(shot.request.frames);
  }, 120_000);
});
