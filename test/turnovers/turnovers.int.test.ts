import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@shotcaller/cli';
import type { ShotRequest, ShotView, TurnoverEntry, TurnoverReport } from '@shotcaller/contracts';
import { buildDashboard } from '@shotcaller/dashboard/build';
import { repoRoot } from '@shotcaller/engines';
import { EventLog } from '@shotcaller/events';
import { ShotStore } from '@shotcaller/shots';
import { otioPython } from '@shotcaller/turnovers';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runShotcaller, tokens } from '../support/shotcaller';

const formats = ['edl', 'xml', 'otio'] as const;
let dir: string;
let app: Awaited<ReturnType<typeof runShotcaller>>;
let store: ShotStore;
let log: EventLog;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'turnovers-'));
  // The fixtures are written by OpenTimelineIO itself, so each format is what OTIO writes and reads.
  execFileSync(otioPython(), [new URL('./make_cuts.py', import.meta.url).pathname, dir]);
  writeFileSync(
    join(dir, 'mapping.yaml'),
    'budgetLine: NTH-EP01-VFX\nterritories: [US, EU]\ndeadline: 2027-03-12T18:00:00Z\nhandles: 8\n',
  );
  // The api serves the dashboard as built when it starts: build this version first.
  await buildDashboard();
  app = await runShotcaller(['api']);
  store = new ShotStore(app.running.redis, app.deployment);
  log = new EventLog(app.running.redis, { deployment: app.deployment });
}, 120_000);

afterAll(async () => {
  await app?.running.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `shotcaller turnover import`, as a TD runs it; the report as JSON, the exit code, and what it said. */
async function turnover(file: string, ...flags: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    ['turnover', 'import', join(dir, file), '--mapping', join(dir, 'mapping.yaml'), '--json', ...flags],
    { out: (t) => out.push(t), err: (t) => err.push(t), tty: false },
    { SHOTCALLER_API_URL: app.running.apiUrl!, SHOTCALLER_TOKEN: tokens.td },
  );
  const report = out.length > 0 ? (JSON.parse(out[0]!) as TurnoverReport) : undefined;
  return { code, report, err: err.join('\n') };
}

async function shotsOf(show: string): Promise<ShotView[]> {
  const { shots } = await app.client().listShots({ show, limit: 100 });
  return Promise.all(shots.map((s) => app.client().getShot(s.id)));
}

const byCode = (shots: ShotView[]) =>
  new Map(shots.map((s) => [`${s.request.sequence}_${s.request.shot}`, s]));

/** What a format cannot change: everything but the show and the key naming it, and the EDL's track name (`V`, not `V1`). */
function comparable(request: ShotRequest) {
  const { show: _show, idempotencyKey: _key, editorial, ...rest } = request;
  const { track: _track, ...place } = editorial!;
  return { ...rest, editorial: place };
}

/** The report lines a TD acts on, without ids and states that differ by run. */
const essentials = (entries: TurnoverEntry[]) =>
  entries.map((e) => ({
    event: e.event,
    shot: `${e.sequence}_${e.shot}`,
    change: e.change,
    frames: e.frames,
    withinHandles: e.withinHandles,
    action: e.action,
  }));

describe('editorial turnovers, read with OpenTimelineIO', () => {
  it('imports the cut from EDL, FCP XML and .otio to the same shots; a dry run writes nothing', async () => {
    const imported = new Map<string, ShotView[]>();
    for (const format of formats) {
      const show = `NTH${format.toUpperCase()}`;
      const before = await log.length();
      const dry = await turnover(`cut.${format}`, '--show', show, '--dry-run');
      expect(dry.code, dry.err).toBe(0);
      expect(essentials(dry.report!.entries)).toEqual(
        [1, 3, 4, 5, 6].map((event, i) => ({
          event,
          shot: `COL_00${['10', '20', '30', '40', '60'][i]}`,
          change: 'new',
          frames: undefined,
          withinHandles: undefined,
          action: 'would-create',
        })),
      );
      expect(await log.length()).toBe(before);
      expect(await shotsOf(show)).toEqual([]);

      const first = await turnover(`cut.${format}`, '--show', show);
      expect(first.code, first.err).toBe(0);
      expect(first.report!.entries.map((e) => e.action)).toEqual(Array(5).fill('created'));
      imported.set(format, await shotsOf(show));
    }
    const shots = byCode(imported.get('edl')!);
    expect([...shots.keys()].sort()).toEqual(['COL_0010', 'COL_0020', 'COL_0030', 'COL_0040', 'COL_0060']);
    for (const format of ['xml', 'otio'] as const) {
      const other = byCode(imported.get(format)!);
      for (const [code, shot] of shots)
        expect(comparable(other.get(code)!.request), `${format} ${code}`).toEqual(comparable(shot.request));
    }
    expect(shots.get('COL_0010')!.request).toMatchObject({
      show: 'NTHEDL',
      sequence: 'COL',
      shot: '0010',
      // 48 frames of cut and 8 handles each side, from 1001.
      frames: { start: 1001, end: 1064 },
      fps: 24,
      brief: 'TOWER FALLS',
      budgetLine: 'NTH-EP01-VFX',
      territories: ['US', 'EU'],
      editorial: {
        clip: 'COL_0010',
        event: 1,
        handles: 8,
        sourceIn: 864_000,
        sourceOut: 864_048,
        recordIn: 0,
        recordOut: 48,
        timecodes: {
          sourceIn: '10:00:00:00',
          sourceOut: '10:00:02:00',
          recordIn: '00:00:00:00',
          recordOut: '00:00:02:00',
        },
      },
    });

    // The same cut again changes nothing.
    const again = await turnover('cut.edl', '--show', 'NTHEDL');
    expect(again.report!.entries.map((e) => [e.change, e.action])).toEqual(
      Array(5).fill(['unchanged', 'none']),
    );
    expect(await shotsOf('NTHEDL')).toHaveLength(5);
  }, 120_000);

  it('reports a re-cut shot by shot: revises what has not started, reports work in progress and omissions', async () => {
    for (const format of formats) {
      const show = `NTH${format.toUpperCase()}`;
      const shots = byCode(await shotsOf(show));
      // COL_0030's work has started: the re-cut must not change it under the vendor's feet.
      const started = shots.get('COL_0030')!;
      for (const to of ['routing', 'queued', 'in-progress'] as const)
        await store.change(started.id, { to, events: () => [], source: '/test', now: new Date() });

      const recut = await turnover(`recut.${format}`, '--show', show);
      expect(recut.code, recut.err).toBe(0);
      expect(essentials(recut.report!.entries), format).toEqual([
        {
          event: 1,
          shot: 'COL_0010',
          change: 'lengthened',
          frames: 6,
          withinHandles: true,
          action: 'revised',
        },
        {
          event: 3,
          shot: 'COL_0040',
          change: 'unchanged',
          frames: undefined,
          withinHandles: undefined,
          action: 'none',
        },
        {
          event: 4,
          shot: 'COL_0060',
          change: 'unchanged',
          frames: undefined,
          withinHandles: undefined,
          action: 'none',
        },
        {
          event: 5,
          shot: 'COL_0030',
          change: 'moved',
          frames: undefined,
          withinHandles: true,
          action: 'reported',
        },
        {
          event: 6,
          shot: 'COL_0050',
          change: 'new',
          frames: undefined,
          withinHandles: undefined,
          action: 'created',
        },
        {
          event: undefined,
          shot: 'COL_0020',
          change: 'omitted',
          frames: undefined,
          withinHandles: undefined,
          action: 'reported',
        },
      ]);
      const entry = (shot: string) => recut.report!.entries.find((e) => `${e.sequence}_${e.shot}` === shot)!;
      expect(entry('COL_0010').message).toBe(
        'COL_0010 lengthened by 6 frames, within the handles; its source slipped -4 frames',
      );
      expect(entry('COL_0030')).toMatchObject({ recordDelta: 16, state: 'in-progress' });
      expect(entry('COL_0030').message).toMatch(/is in-progress, so it is not revised: the TD decides/);
      expect(entry('COL_0020').message).toMatch(/no longer in the cut; it is not cancelled/);

      const after = byCode(await shotsOf(show));
      const lengthened = after.get('COL_0010')!;
      expect(lengthened.request.frames).toEqual({ start: 1001, end: 1001 + 54 + 16 - 1 });
      expect(lengthened.request.editorial).toMatchObject({ sourceIn: 863_996, sourceOut: 864_050 });
      expect(lengthened.request.editorial!.timecodes.sourceIn).toBe('09:59:59:20');
      expect(lengthened.history!.filter((e) => e.type === 'io.shotcaller.shot.revised.v1')).toHaveLength(1);
      expect(after.get('COL_0030')!.request).toEqual(started.request);
      expect(after.get('COL_0020')!.state).toBe('submitted');
      expect(after.get('COL_0050')!.request.brief).toBe('SPARKS');
      expect(after.size).toBe(6);
    }

    // The TD cancels the omitted shot; when editorial puts it back, it is a new shot, not the cancelled one.
    const omitted = byCode(await shotsOf('NTHXML')).get('COL_0020')!;
    await app
      .client()
      .request('POST', `/v1/shots/${omitted.id}/cancel`, z.any(), { reason: 'out of the cut' });
    const back = await turnover('cut.xml', '--show', 'NTHXML');
    expect(back.code, back.err).toBe(0);
    const reinstated = back.report!.entries.find((e) => e.shot === '0020')!;
    expect(reinstated).toMatchObject({
      change: 'new',
      action: 'created',
      message: `back in the cut: shot ${omitted.id} was cancelled, so this is a new shot`,
    });
    expect(reinstated.shotId).not.toBe(omitted.id);
    expect((await app.client().getShot(omitted.id)).state).toBe('cancelled');

    // Every turnover is an event: the history of the cut, newest first.
    const { turnovers } = (await app.client().request('GET', '/v1/turnovers?show=NTHEDL', z.any())).data as {
      turnovers: TurnoverReport[];
    };
    expect(turnovers.map((t) => t.cut)).toEqual(['NTH R2', 'NTH R1', 'NTH R1']);
    const out: string[] = [];
    await runCli(
      ['turnover', 'list', '--show', 'NTHEDL'],
      { out: (t) => out.push(t), err: (t) => out.push(t), tty: false },
      {
        SHOTCALLER_API_URL: app.running.apiUrl!,
        SHOTCALLER_TOKEN: tokens.td,
      },
    );
    expect(out.join('\n')).toMatch(
      /Latest: recut\.edl \(NTH R2, cmx_3600, 24 fps\): 1 new, 2 unchanged, 1 lengthened, 0 shortened, 1 moved, 1 omitted, 0 invalid/,
    );
  }, 120_000);

  it('reads drop-frame 29.97 and 23.976 timecode to the frame numbers OpenTimelineIO computes', async () => {
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<
      string,
      Array<{
        shot: string;
        sourceIn: number;
        sourceInTimecode: string;
        sourceOutTimecode: string;
        duration: number;
      }>
    >;
    for (const [stem, flags] of [
      ['df', ['--rate', '29.97', '--drop-frame']],
      ['fps23976', ['--rate', '23.976']],
    ] as const) {
      for (const format of formats) {
        const show = `${stem.toUpperCase()}${format.toUpperCase()}`;
        const result = await turnover(`${stem}.${format}`, '--show', show, ...flags);
        expect(result.code, result.err).toBe(0);
        const shots = byCode(await shotsOf(show));
        for (const want of expected[stem]!) {
          const shot = shots.get(`TC_${want.shot}`)!;
          expect(shot.request.editorial, `${show} ${want.shot}`).toMatchObject({
            sourceIn: want.sourceIn,
            sourceOut: want.sourceIn + want.duration,
            dropFrame: stem === 'df',
            timecodes: { sourceIn: want.sourceInTimecode, sourceOut: want.sourceOutTimecode },
          });
          expect(shot.request.fps).toBe(stem === 'df' ? 29.97 : 23.976);
          expect(shot.request.frames).toEqual({ start: 1001, end: 1001 + want.duration + 16 - 1 });
        }
      }
    }
  }, 120_000);

  it('refuses bad turnovers with the event number or clip name, and creates nothing unless --partial', async () => {
    const unreadable = await turnover('garbage.edl', '--show', 'BAD1');
    expect(unreadable.code).toBe(1);
    expect(unreadable.err).toMatch(
      /cut_unreadable.*The turnover garbage\.edl cannot be read: OpenTimelineIO cannot read it as cmx_3600/,
    );

    const unmatched = await turnover('marked.edl', '--show', 'BAD2', '--comment', 'VFX:');
    expect(unmatched.code).toBe(1);
    expect(unmatched.report).toMatchObject({ applied: false });
    expect(unmatched.report!.entries.find((e) => e.change === 'invalid')!.message).toMatch(
      /^event 2 \(clip "A001C007"\) is marked as VFX but its name does not match \$\{sequence\}_\$\{shot\}$/,
    );
    expect(await shotsOf('BAD2')).toEqual([]);
    const partial = await turnover('marked.edl', '--show', 'BAD2', '--comment', 'VFX:', '--partial');
    expect(partial.code).toBe(1);
    expect(partial.report!.entries.map((e) => [e.clip, e.change, e.action])).toEqual([
      ['COL_0010', 'new', 'created'],
      ['A001C007', 'invalid', 'none'],
    ]);
    expect([...byCode(await shotsOf('BAD2')).keys()]).toEqual(['COL_0010']);

    const pal = await turnover('pal.xml', '--show', 'BAD3');
    expect(pal.code).toBe(1);
    expect(pal.report!.entries[0]!.message).toBe(
      'event 1 (clip "COL_0010") runs at 25 fps but the show runs at 24 fps',
    );
    expect(await shotsOf('BAD3')).toEqual([]);

    const overlap = await turnover('overlap.otio', '--show', 'BAD4');
    expect(overlap.code).toBe(1);
    const invalid = overlap.report!.entries.filter((e) => e.change === 'invalid');
    expect(invalid.map((e) => e.message)).toEqual([
      'event 1 (clip "COL_0010", 00:00:00:00–00:00:02:00) overlaps event 2 with the same shot code',
      'event 2 (clip "COL_0010", 00:00:01:00–00:00:03:00) overlaps event 1 with the same shot code',
    ]);
    expect(overlap.report!.entries.find((e) => e.clip === 'COL_0020')).toMatchObject({
      change: 'new',
      action: 'would-create',
    });
    expect(await shotsOf('BAD4')).toEqual([]);
  }, 120_000);

  it("shows the latest turnover's report on the shots board of its show", async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(app.running.apiUrl!);
      await page.getByLabel('API token').fill(tokens.td);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Shots' }).waitFor();
      await page.getByLabel('Show').fill('NTHEDL');
      const report = page.getByTestId('turnover-report');
      await report.waitFor();
      await expect(report.locator('summary').textContent()).resolves.toMatch(/recut\.edl \(NTH R2, 24 fps\)/);
      const rows = await report.locator('tbody tr').allInnerTexts();
      expect(rows.map((r) => r.split('\t').slice(0, 3))).toEqual([
        ['1', 'COL_0010', 'lengthened 6 f, within handles'],
        ['3', 'COL_0040', 'unchanged'],
        ['4', 'COL_0060', 'unchanged'],
        ['5', 'COL_0030', 'moved'],
        ['6', 'COL_0050', 'new'],
        ['', 'COL_0020', 'omitted'],
      ]);
      const screenshots = join(repoRoot(), 'test-output', 'screenshots');
      await page.screenshot({ path: join(screenshots, 'turnover-report.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
