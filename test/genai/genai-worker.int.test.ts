import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';

import { fileURLToPath } from 'node:url';
import { verifyCredentials } from '@shotcaller/provenance';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runShotcaller } from '../support/shotcaller';

let app: Awaited<ReturnType<typeof runShotcaller>>;
beforeAll(async () => {
  app = await runShotcaller(['api', 'router', 'genai-worker'], { genai: { previewScale: 0.0625 } });
});
afterAll(() => app?.running.stop());

const types = (history: Array<{ type: string }> | undefined) =>
  (history ?? []).map((e) => e.type.replace('io.shotcaller.', ''));

describe('a shot on the genai route', () => {
  it('comes back as signed PNG frames (Content Credentials inside), usage, live progress and one completion', async () => {
    const watching = new AbortController();
    const live: string[] = [];
    const following = (async () => {
      for await (const { id, event } of app
        .client()
        .events({ types: ['genai.task.progress'], signal: watching.signal })) {
        expect(id).toBeUndefined();
        live.push(event.subject ?? '');
      }
    })();
    // The feed is open once a warm-up shot's progress comes through it.
    for (let tries = 0; live.length === 0; tries++) {
      if (tries === 10) throw new Error('the live feed never showed any progress');
      const { shot: warmUp } = await app
        .client()
        .submitShot(aShotRequest({ category: 'destruction', deliverable: 'temp' }));
      await eventually(
        () => app.client().getShot(warmUp.id),
        (s) => s.state === 'delivered',
        'the warm-up shot delivered',
        30_000,
      );
    }
    const { shot } = await app
      .client()
      .submitShot(
        aShotRequest({ category: 'destruction', deliverable: 'temp', frames: { start: 1001, end: 1024 } }),
      );
    const done = await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.state === 'delivered',
      'the shot delivered',
      30_000,
    );
    expect(done.route).toBe('genai');
    const history = types(done.history);
    expect(history.filter((t) => t === 'genai.task.completed.v2')).toHaveLength(1);
    expect(history.filter((t) => t === 'genai.usage.recorded.v1')).toHaveLength(1);
    // Progress is live: watchers saw it move, and it never entered the durable log.
    await eventually(
      async () => live.filter((s) => s === shot.id).length,
      (n) => n >= 5,
      'progress seen live',
    );
    watching.abort();
    await following;
    expect(history.filter((t) => t === 'genai.task.progress.v1')).toEqual([]);
    expect(done.progress).toBeUndefined();
    expect(history.indexOf('genai.task.started.v1')).toBeLessThan(history.indexOf('genai.task.completed.v2'));

    const completed = done.history!.find((e) => e.type === 'io.shotcaller.genai.task.completed.v2')!.data as {
      outputs: Array<{ uri: string; sha256: string; credentials: { binding: string } }>;
      signer: string;
      developmentCertificate: boolean;
    };
    expect(completed.outputs).toHaveLength(24);
    expect(completed.outputs.every((o) => o.credentials.binding === 'embedded')).toBe(true);
    expect(completed.developmentCertificate).toBe(true);
    const files = completed.outputs.map((o) => readFileSync(fileURLToPath(o.uri)));
    const pngs = files.map((f) => PNG.sync.read(f));
    expect(pngs[0]).toMatchObject({ width: 120, height: 68 });
    for (let i = 1; i < pngs.length; i++)
      expect(Buffer.compare(pngs[i]!.data, pngs[i - 1]!.data)).not.toBe(0);
    // The hash the event records is the signed file's, and the credentials hold.
    for (const [i, o] of completed.outputs.entries())
      expect(createHash('sha256').update(files[i]!).digest('hex')).toBe(o.sha256);
    const report = await verifyCredentials({ name: 'f.png', bytes: files[0]! });
    expect(report.verdict).toBe('valid');
    expect(report.actions[0]!.digitalSourceType).toBe(
      'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
    );
    expect(report.shotcaller).toMatchObject({ shot: { id: shot.id }, compliance: { outcome: 'allow' } });
    // A tampered frame is caught.
    await writeFile(fileURLToPath(completed.outputs[3]!.uri), 'not a frame');
    const tampered = await verifyCredentials({
      name: 'f.png',
      bytes: readFileSync(fileURLToPath(completed.outputs[3]!.uri)),
    });
    expect(tampered.verdict).toBe('unreadable');
  });

  it('stops when the shot is cancelled mid-run, and leaves no completion', async () => {
    const { shot } = await app
      .client()
      .submitShot(
        aShotRequest({ category: 'destruction', deliverable: 'temp', frames: { start: 1, end: 20_000 } }),
      );
    await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.progress !== undefined,
      'the task under way',
      30_000,
    );
    await app.client().cancel(shot.id, 'cut from the edit');
    const started = (await app.client().getShot(shot.id)).history!.find(
      (e) => e.type === 'io.shotcaller.genai.task.started.v1',
    )!;
    const scratch = `${app.config.dataDir}/scratch/${shot.id}-attempt-1`;
    // The worker notices within its watch interval, stops writing frames and clears its scratch space.
    const countFrames = () => (existsSync(scratch) ? readdirSync(scratch).length : 0);
    const settled = await eventually(
      async () => {
        const a = countFrames();
        await new Promise((r) => setTimeout(r, 700));
        return [a, countFrames()] as const;
      },
      ([a, b]) => a === b,
      'frames to stop appearing',
      30_000,
    );
    expect(settled[1]).toBeLessThan(20_000);
    const final = await app.client().getShot(shot.id);
    expect(final.state).toBe('cancelled');
    expect(types(final.history)).not.toContain('genai.task.completed.v2');
    expect(started).toBeDefined();
    // The CPU the cancelled attempt used is paid for, once.
    const charged = final.history!.filter((e) => e.type === 'io.shotcaller.genai.attempt.charged.v1');
    expect(charged).toHaveLength(1);
    expect(charged[0]!.data).toMatchObject({
      provider: 'local',
      attempt: 1,
      outcome: 'cancelled',
      unit: 'cpu-second',
    });
    await eventually(
      async () => existsSync(scratch),
      (e) => !e,
      'the scratch space cleared',
      10_000,
    );
    expect(existsSync(`${app.config.dataDir}/outputs/NTH/${shot.id}`)).toBe(false);
  });

  it('sends AI work rejected in review on to a vendor, saying why', async () => {
    const { shot } = await app
      .client()
      .submitShot(
        aShotRequest({ category: 'environment', deliverable: 'temp', frames: { start: 1, end: 8 } }),
      );
    await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.state === 'delivered',
      'the shot delivered',
      30_000,
    );
    await app.client().reject(shot.id, 'the debris reads as miniature');
    const rerouted = await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.state === 'queued' && s.route === 'vendor',
      'the vendor route',
      20_000,
    );
    const event = rerouted.history!.find((e) => e.type === 'io.shotcaller.shot.rerouted.v1')!;
    expect(event.data).toMatchObject({
      from: 'genai',
      to: 'vendor',
      cause: 'review-rejected',
      reason: expect.stringContaining('the debris reads as miniature'),
    });
    expect(rerouted.decision?.decidedBy).toBe('reroute');
  });
});
