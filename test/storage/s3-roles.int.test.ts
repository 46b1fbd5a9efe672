import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { type SeaweedFsHandle, startSeaweedFs } from '@shotcaller/engines';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { type Browser, chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { stopProcess } from '../support/role-process';
import { startApiProcess, startRoleProcess } from '../support/role-processes';
import { runShotcaller, tokens } from '../support/shotcaller';
import { startThrottledProxy } from '../support/throttled-proxy';

const bucket = 'shotcaller-e2e';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const cleanups: Array<() => Promise<unknown>> = [];
let weed: SeaweedFsHandle;
let s3: S3Client;
beforeAll(async () => {
  weed = await startSeaweedFs({ buckets: [bucket] });
  s3 = new S3Client({
    endpoint: weed.endpoint,
    region: weed.region,
    forcePathStyle: true,
    credentials: { accessKeyId: weed.accessKeyId, secretAccessKey: weed.secretAccessKey },
  });
}, 90_000);
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  s3?.destroy();
  await weed?.stop();
});

const storageAt = (endpoint: string, deployment: string) => ({
  backend: 's3',
  s3: {
    endpoint,
    region: weed.region,
    bucket,
    prefix: `${deployment}/`,
    forcePathStyle: true,
    accessKeyId: weed.accessKeyId,
    secretAccessKey: weed.secretAccessKey,
  },
});

/** The router in this process; the api and the genai worker each in a process of its own, with its own data dir. */
async function deployment(options: { workerEndpoint?: string; lockMs?: number } = {}) {
  const router = await runShotcaller(['router']);
  cleanups.push(() => router.running.stop());
  const storage = storageAt(weed.endpoint, router.deployment);
  const api = await startApiProcess(router.deployment, { storage });
  cleanups.push(() => api.stop());
  const startWorker = (endpoint = options.workerEndpoint ?? weed.endpoint) => {
    const worker = startRoleProcess('genai-worker', router.deployment, {
      storage: storageAt(endpoint, router.deployment),
      genai: { lockDurationMs: options.lockMs ?? 30_000, previewScale: 1 },
    });
    cleanups.push(() => stopProcess(worker.process, 'SIGKILL'));
    return worker;
  };
  return { deployment: router.deployment, api, startWorker };
}

const Outputs = z.object({
  outputs: z.array(z.object({ uri: z.string(), sha256: z.string(), url: z.string(), bytes: z.int() })),
});
const Credentials = z.object({ verdict: z.string(), binding: z.string(), aiGenerated: z.boolean() });

async function objectsUnder(prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

const anAiShot = (shot: string, frames = 6) =>
  aShotRequest({
    shot,
    category: 'environment',
    deliverable: 'temp',
    frames: { start: 1001, end: 1000 + frames },
    resolution: { width: 640, height: 360 },
  });

describe('frames on S3-compatible storage (SeaweedFS)', () => {
  it('an api and a genai worker on separate data dirs: generated, stored, served through presigned URLs, hashes verified', async () => {
    const { deployment: name, api, startWorker } = await deployment();
    const worker = startWorker();
    const { shot } = await api.client().submitShot(anAiShot('S3_0010'));
    const done = await eventually(
      () => api.client().getShot(shot.id),
      (s) => s.state === 'delivered',
      'the shot delivered',
      90_000,
    );
    const completed = done.history!.find((e) => e.type === 'io.shotcaller.genai.task.completed.v2')!.data as {
      outputs: Array<{ uri: string; sha256: string; bytes: number }>;
    };
    expect(completed.outputs).toHaveLength(6);
    for (const o of completed.outputs.map((o) => o.uri))
      expect(o).toMatch(new RegExp(`^s3://${bucket}/${name}/outputs/NTH/${shot.id}/attempt-1/`));

    const { data } = await api.client().request('GET', `/v1/shots/${shot.id}/outputs`, Outputs);
    const frames = await Promise.all(
      data.outputs.map(async (o, i) => {
        // Straight from the bucket, with no Shotcaller token: the URL is the permission.
        expect(o.url.startsWith(`${weed.endpoint}/${bucket}/`)).toBe(true);
        expect(o.url).toMatch(/X-Amz-Signature=/);
        const bytes = Buffer.from(await (await fetch(o.url)).arrayBuffer());
        expect(sha(bytes)).toBe(completed.outputs[i]!.sha256);
        expect(bytes.length).toBe(completed.outputs[i]!.bytes);
        return PNG.sync.read(bytes);
      }),
    );
    expect(frames[0]!.width).toBe(640);
    // The credentials route reads the frame from the bucket and checks what is signed inside it.
    const { data: credentials } = await api
      .client()
      .request('GET', `/v1/shots/${shot.id}/outputs/0/credentials`, Credentials);
    expect(credentials).toMatchObject({ verdict: 'valid', binding: 'embedded', aiGenerated: true });
    // The frame route sends a client to the bucket.
    const redirect = await fetch(`${api.baseUrl}/v1/shots/${shot.id}/outputs/2`, {
      headers: { authorization: `Bearer ${tokens.td}` },
      redirect: 'manual',
    });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toMatch(new RegExp(`^${weed.endpoint}/${bucket}/`));
    // Neither machine kept the frames on its own disk.
    expect(existsSync(join(api.dataDir, 'outputs'))).toBe(false);
    expect(existsSync(join(worker.dataDir, 'outputs'))).toBe(false);
    // Frames this small never touch the worker's scratch space; any that did are gone.
    const scratch = join(worker.dataDir, 'scratch');
    await eventually(
      () => (existsSync(scratch) ? readdirSync(scratch) : []),
      (left) => left.length === 0,
      'the worker’s scratch space cleared',
    );

    // The dashboard shows the frames from their presigned URLs.
    const browser: Browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(api.baseUrl);
      await page.getByLabel('API token').fill(tokens.td);
      await page.keyboard.press('Enter');
      await page.getByTestId('who').waitFor();
      await page.goto(`${api.baseUrl}/#/shots/${shot.id}`);
      const first = page.getByRole('img', { name: /Frame 1 of S3_0010/ });
      await first.waitFor();
      expect(await first.getAttribute('src')).toMatch(new RegExp(`^${weed.endpoint}/${bucket}/`));
      await eventually(
        () =>
          first.evaluate(
            (img) => (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth,
          ),
        (w) => w === 640,
        'the frame loaded from the bucket',
        10_000,
      );
    } finally {
      await browser.close();
    }
  }, 180_000);

  it('a genai worker SIGKILLed mid-upload: the shot is generated again and delivered once, no partial object listed', async () => {
    // The doomed worker's uploads crawl through a throttled link, so the kill lands with a PUT on the wire.
    const proxy = await startThrottledProxy(
      { host: '127.0.0.1', port: Number(new URL(weed.endpoint).port) },
      48_000,
    );
    cleanups.push(() => proxy.stop());
    const {
      deployment: name,
      api,
      startWorker,
    } = await deployment({ workerEndpoint: proxy.endpoint, lockMs: 1_500 });
    const doomed = startWorker();
    const { shot } = await api.client().submitShot(anAiShot('S3_KILL', 12));
    const prefix = `${name}/outputs/NTH/${shot.id}/attempt-1/`;
    // Killed as soon as the first frame is in: the next ones are on the wire, part-sent.
    await eventually(
      () => objectsUnder(prefix),
      (keys) => keys.length > 0,
      'the first frame stored',
      90_000,
    );
    await stopProcess(doomed.process, 'SIGKILL');
    const killed = await api.client().getShot(shot.id);
    expect(killed.state).toBe('in-progress');
    expect(killed.history!.map((e) => e.type)).not.toContain('io.shotcaller.genai.task.completed.v2');
    const leftBehind = await objectsUnder(prefix);
    // Killed part-way: the frames that were in stay, but nothing names them, and no half-sent one is listed.
    expect(leftBehind.length).toBeGreaterThan(0);
    expect(leftBehind.length).toBeLessThan(12);
    expect(leftBehind).not.toContain(`${prefix}manifest.json`);

    startWorker(weed.endpoint);
    const done = await eventually(
      () => api.client().getShot(shot.id),
      (s) => s.state === 'delivered',
      'the shot delivered by the second worker',
      120_000,
    );
    const count = (type: string) => done.history!.filter((e) => e.type === `io.shotcaller.${type}.v1`).length;
    expect(count('shot.delivered')).toBe(1);
    expect(done.history!.filter((e) => e.type === 'io.shotcaller.genai.task.completed.v2')).toHaveLength(1);
    expect(count('genai.usage.recorded')).toBe(1);
    const completed = done.history!.find((e) => e.type === 'io.shotcaller.genai.task.completed.v2')!.data as {
      outputs: Array<{ uri: string; sha256: string }>;
    };
    // What the bucket lists under the attempt is exactly what the completion names, and each is whole.
    expect(await objectsUnder(prefix)).toEqual(
      completed.outputs
        .map((o) => o.uri)
        .map((u) => u.replace(`s3://${bucket}/`, ''))
        .sort(),
    );
    const { data } = await api.client().request('GET', `/v1/shots/${shot.id}/outputs`, Outputs);
    for (const [i, o] of data.outputs.entries())
      expect(sha(Buffer.from(await (await fetch(o.url)).arrayBuffer()))).toBe(completed.outputs[i]!.sha256);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }));
    expect(uploads.Uploads ?? []).toEqual([]);
  }, 240_000);
});
