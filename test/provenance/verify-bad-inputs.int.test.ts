import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitCodes, runCli } from '@shotcaller/cli';
import { CredentialsReport, sidecarName } from '@shotcaller/provenance';
import type { ApiError } from '@shotcaller/sdk';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { badInputs } from '../../packages/provenance/test/bad-inputs';
import { runShotcaller } from '../support/shotcaller';

const rows = await badInputs();

describe('shotcaller verify on every bad input', () => {
  it.each(rows.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-verify-'));
    const file = join(dir, row.file);
    writeFileSync(file, row.bytes);
    if (row.sidecar) writeFileSync(join(dir, sidecarName(row.file)), row.sidecar);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      ['--json', 'verify', file],
      { out: (t) => out.push(t), err: (t) => err.push(t), tty: false },
      {},
    );
    expect(err.join('\n')).toBe('');
    const [report] = z.array(CredentialsReport).parse(JSON.parse(out.join('\n')));
    expect(report!.verdict, report!.summary).toBe(row.verdict);
    expect(code).toBe(row.verdict === 'valid' ? exitCodes.ok : exitCodes.failed);
    rmSync(dir, { recursive: true, force: true });
  });

  it('says so for a file that is not there, a directory, and a sidecar given instead of its file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-verify-'));
    mkdirSync(join(dir, 'frames'));
    writeFileSync(join(dir, 'f.c2pa'), Buffer.from('x'));
    const out: string[] = [];
    const code = await runCli(
      ['verify', join(dir, 'missing.png'), join(dir, 'frames'), join(dir, 'f.c2pa')],
      { out: (t) => out.push(t), err: (t) => out.push(t), tty: false },
      {},
    );
    expect(code).toBe(exitCodes.failed);
    const text = out.join('\n');
    expect(text).toContain('missing.png: no such file');
    expect(text).toContain('frames: a directory, not a file');
    expect(text).toContain('f.c2pa: a .c2pa sidecar: verify the file it belongs to');
  });
});

describe('GET /v1/shots/:id/outputs/:index/credentials on every bad input', () => {
  let app: Awaited<ReturnType<typeof runShotcaller>>;
  let frame: string;
  let shotId: string;
  beforeAll(async () => {
    app = await runShotcaller(['api', 'router', 'genai-worker'], {
      dataDir: mkdtempSync(join(tmpdir(), 'sc-verify-api-')),
      genai: { previewScale: 0.0625 },
    });
    const { shot } = await app
      .client()
      .submitShot(
        aShotRequest({ category: 'destruction', deliverable: 'temp', frames: { start: 1, end: 1 } }),
      );
    shotId = shot.id;
    const done = await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.state === 'delivered',
      'the shot delivered',
      60_000,
    );
    const completed = done.history!.find((e) => e.type === 'io.shotcaller.genai.task.completed.v2')!.data as {
      outputs: Array<{ uri: string }>;
    };
    frame = fileURLToPath(completed.outputs[0]!.uri);
  }, 120_000);
  afterAll(() => app?.running.stop());

  it.each(rows.map((r) => [r.name, r] as const))('%s: a report, never a 500', async (_name, row) => {
    // The stored frame is replaced by the bad input (and its sidecar put where C2PA tools look).
    writeFileSync(frame, row.bytes);
    const car = join(frame, '..', sidecarName(frame.split('/').at(-1)!));
    rmSync(car, { force: true });
    if (row.sidecar) writeFileSync(car, row.sidecar);
    const { data } = await app
      .client()
      .request('GET', `/v1/shots/${shotId}/outputs/0/credentials`, CredentialsReport)
      .catch((e: ApiError) => {
        throw new Error(`${e.status} ${e.message}`);
      });
    expect(data.verdict, data.summary).toBe(row.verdict);
    expect(data.summary.length).toBeGreaterThan(10);
  });

  it('answers 404, not 500, for an output index the shot does not have', async () => {
    const error = await app
      .client()
      .request('GET', `/v1/shots/${shotId}/outputs/7/credentials`, CredentialsReport)
      .catch((e: ApiError) => e);
    expect(error).toMatchObject({ status: 404 });
  });
});
