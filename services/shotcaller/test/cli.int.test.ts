import { fileURLToPath } from 'node:url';
import { exitCodes, type Io, readShotFiles, runCli, validateEntries } from '@shotcaller/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startApi, tokens } from '../../api/test/harness';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
let api: Harness;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), tty: false };
  const code = await runCli(['--api', api.url, '--token', tokens.td, ...argv], io, {});
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the shotcaller CLI', () => {
  it('submits a CSV shot list and, run again, creates nothing new', async () => {
    const first = await cli('submit', fixture('sequence.csv'));
    expect(first.code).toBe(exitCodes.ok);
    expect(first.out).toMatch(/3 created, 0 already submitted, 0 invalid/);
    const again = await cli('--json', 'submit', fixture('sequence.csv'));
    const results = JSON.parse(again.out).results as Array<{ status: string }>;
    expect(results.map((r) => r.status)).toEqual(['existing', 'existing', 'existing']);
  });

  it('submits nothing from a file with a bad row, naming the line, unless --partial', async () => {
    const before = await api.store.count();
    const refused = await cli('submit', fixture('bad-row.csv'));
    expect(refused.code).toBe(exitCodes.failed);
    expect(refused.err).toContain(`${fixture('bad-row.csv')}:3: frames.end: end must not be before start`);
    expect(refused.err).toMatch(/nothing was submitted/);
    expect(await api.store.count()).toBe(before);
    const partial = await cli('submit', '--partial', fixture('bad-row.csv'));
    expect(partial.code).toBe(exitCodes.failed);
    expect(partial.out).toMatch(/1 created, 0 already submitted, 1 invalid/);
    expect(await api.store.count()).toBe(before + 1);
  });

  it('names the line of a CSV row whose shot code is live and the live shot, and submits the rest', async () => {
    // Another TD submitted COL_0120 already, by hand, under a key of their own.
    const row = validateEntries(readShotFiles([fixture('revise-0120.csv')])).valid[0]!.request;
    const { shot: live } = await api.commands.submit(
      { ...row, brief: 'Crane falls', idempotencyKey: 'by-hand-0120' },
      { name: 'another td', source: '/test' },
    );
    const sheet = fixture('live-code.csv');
    const first = await cli('submit', sheet);
    expect(first.code).toBe(exitCodes.failed);
    expect(first.err).toContain(
      `${sheet}:3: shot_code_taken: Shot code NTH/EP01/COL/COL_0120 is taken by shot ${live.id} (submitted, /v1/shots/${live.id})`,
    );
    expect(first.out).toMatch(/2 created, 0 already submitted, 0 invalid, 1 refused/);

    // The TD takes the sheet's row as a revision of the live shot: the sheet then goes in whole.
    const revised = await cli('revise', live.id, '--file', fixture('revise-0120.csv'));
    expect(revised.out).toBe(`${live.id} is now submitted`);
    expect((await api.store.require(live.id)).request.brief).toBe('Crane topples onto the bridge');
    const again = await cli('--json', 'submit', sheet);
    expect(again.code).toBe(exitCodes.ok);
    const results = JSON.parse(again.out).results as Array<{ status: string; shotId: string }>;
    expect(results.map((r) => r.status)).toEqual(['existing', 'existing', 'existing']);
    expect(results[1]!.shotId).toBe(live.id);
  });

  it('submits nothing from a sheet that names one shot code twice, naming both lines, unless --partial', async () => {
    const sheet = fixture('repeated-code.csv');
    const before = await api.store.count();
    const refused = await cli('submit', sheet);
    expect(refused.code).toBe(exitCodes.failed);
    expect(refused.err).toContain(
      `${sheet}:4: shot: repeats the shot code NTH/EP01/COL/COL_0210 of ${sheet}:2; one shot code is one shot`,
    );
    expect(await api.store.count()).toBe(before);
    const partial = await cli('submit', '--partial', sheet);
    expect(partial.out).toMatch(/2 created, 0 already submitted, 1 invalid/);
    expect(await api.store.count()).toBe(before + 2);
  });

  it('shows, lists and cancels a shot', async () => {
    const submitted = JSON.parse((await cli('--json', 'submit', fixture('shots.yaml'), '--partial')).out);
    const id = submitted.results[0].shotId as string;
    const status = await cli('status', id);
    expect(status.out).toContain(`${id}  NTH COL/COL_0060`);
    expect(status.out).toMatch(/shot\.submitted/);
    const listed = await cli('--json', 'list', '--show', 'NTH', '--state', 'submitted');
    expect(JSON.parse(listed.out).shots.map((s: { id: string }) => s.id)).toContain(id);
    const cancelled = await cli('cancel', id, '--reason', 'cut from the edit');
    expect(cancelled.out).toBe(`${id} is now cancelled`);
    const again = await cli('cancel', id, '--reason', 'again');
    expect(again.code).toBe(exitCodes.failed);
    expect(again.err).toMatch(/illegal_transition, HTTP 409/);
  });

  it('exits with a usage error on a missing option and when no token is given', async () => {
    expect((await cli('override', 'sh-x', '--route', 'vendor')).code).toBe(exitCodes.usage);
    const io: Io = { out: () => {}, err: () => {}, tty: false };
    expect(await runCli(['--api', api.url, 'list'], io, {})).toBe(exitCodes.usage);
  });

  it('says when the API cannot be reached', async () => {
    const err: string[] = [];
    const io: Io = { out: () => {}, err: (t) => err.push(t), tty: false };
    const code = await runCli(['--api', 'http://127.0.0.1:1', '--token', 'x', 'list'], io, {});
    expect(code).toBe(exitCodes.unreachable);
    expect(err.join('')).toMatch(/Cannot reach the Shotcaller API at http:\/\/127\.0\.0\.1:1/);
  });
});
