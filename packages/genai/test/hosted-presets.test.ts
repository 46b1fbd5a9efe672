import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GenerationCancelled,
  HttpTaskAdapter,
  type HttpTaskConfig,
  type Progress,
  ProviderRejectedTask,
  verifyFalWebhook,
  verifyReplicateWebhook,
  WebhookRejected,
} from '@shotcaller/genai';
import { aShotRequest } from '@shotcaller/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeFal, FakeReplicate } from './hosted-servers';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
const started = async <T extends { start(): Promise<T>; stop(): Promise<void> }>(server: T) => {
  await server.start();
  cleanups.push(() => server.stop());
  return server;
};

/** A webhook endpoint that keeps each delivery's raw body and headers. */
async function receiver() {
  const deliveries: Array<{ body: string; headers: IncomingHttpHeaders }> = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    deliveries.push({ body, headers: req.headers });
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, deliveries };
}

const input = { prompt: '{{brief}}', seed: '{{seed}}', num_frames: '{{frames}}', fps: '{{fps}}' };
function run(config: HttpTaskConfig, signal = new AbortController().signal) {
  const progress: Progress[] = [];
  const result = new HttpTaskAdapter('hosted', { pollIntervalMs: 5, ...config } as HttpTaskConfig).generate(
    {
      taskId: 't-7',
      shotId: 'sh-7',
      request: aShotRequest({ frames: { start: 1, end: 48 }, brief: 'Dust wave rolls down the avenue' }),
      seed: 7,
      outputDir: mkdtempSync(join(tmpdir(), 'hosted-')),
    },
    { onProgress: (p) => progress.push(p), signal },
  );
  return { progress, result };
}
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as Error & { usage?: unknown },
  );

describe('the replicate preset', () => {
  const preset = (r: FakeReplicate, extra: Record<string, unknown> = {}) =>
    ({
      preset: 'replicate',
      baseUrl: r.url,
      apiKey: r.token,
      version: r.models['studio/dust-wave'],
      input,
      ...extra,
    }) as HttpTaskConfig;

  it('creates a prediction on a version, follows its logs as progress and downloads the output, billed in predict_time', async () => {
    const r = await started(new FakeReplicate());
    const { progress, result } = run(preset(r));
    const out = await result;
    expect(r.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/predictions',
      auth: `Bearer ${r.token}`,
      body: {
        version: r.models['studio/dust-wave'],
        input: { prompt: 'Dust wave rolls down the avenue', seed: 7, num_frames: 48, fps: 24 },
      },
    });
    expect(progress.map((p) => p.percent)).toEqual([35, 70, 70]);
    expect(out.outputs).toHaveLength(2);
    expect(readFileSync((out.outputs[0] as { path: string }).path, 'utf8')).toMatch(/out-0\.mp4$/);
    expect(out.usage).toEqual({ unit: 'gpu-second', quantity: 12.5 });
  });

  it('runs an official model by name', async () => {
    const r = await started(new FakeReplicate());
    await run(preset(r, { version: undefined, model: 'studio/dust-wave' })).result;
    expect(r.requests[0]).toMatchObject({ method: 'POST', path: '/v1/models/studio/dust-wave/predictions' });
  });

  it('reports a failed prediction as permanent, with its error and the seconds Replicate billed for it', async () => {
    const r = await started(new FakeReplicate());
    r.outcome = 'failed';
    const error = await failure(run(preset(r)).result);
    expect(error).toBeInstanceOf(ProviderRejectedTask);
    expect(error!.message).toMatch(/failed task \w+: NSFW content detected/);
    expect(error!.usage).toEqual({ unit: 'gpu-second', quantity: 4.2 });
  });

  it('reads the problem document of a refused request', async () => {
    const r = await started(new FakeReplicate());
    await expect(run(preset(r, { version: 'no-such-version' })).result).rejects.toThrow(
      /refused the request \(HTTP 422\): The specified version does not exist/,
    );
    await expect(run(preset(r, { apiKey: 'r8_wrong' })).result).rejects.toThrow(
      /refused the API key \(HTTP 401\): You did not pass a valid authentication token/,
    );
  });

  it('waits as long as the throttled answer says before creating again', async () => {
    const r = await started(new FakeReplicate());
    r.throttleCreates = 1;
    await run(preset(r)).result;
    const creates = r.requests.filter((q) => q.method === 'POST');
    expect(creates).toHaveLength(2);
    expect(creates[1]!.at - creates[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('cancels the prediction through urls.cancel when the shot is cancelled', async () => {
    const r = await started(new FakeReplicate());
    const abort = new AbortController();
    const { progress, result } = run(preset(r, { pollIntervalMs: 50 }), abort.signal);
    await vi.waitFor(() => expect(progress.length).toBeGreaterThan(0));
    abort.abort();
    const error = await failure(result);
    expect(error).toBeInstanceOf(GenerationCancelled);
    await vi.waitFor(() =>
      expect(r.requests.some((q) => q.method === 'POST' && q.path.endsWith('/cancel'))).toBe(true),
    );
  });

  it('asks for the completed webhook, whose signature checks out with the account secret and fails when tampered', async () => {
    const r = await started(new FakeReplicate());
    const hooks = await receiver();
    await run(preset(r, { webhookUrl: hooks.url })).result;
    expect(r.requests[0]!.body).toMatchObject({ webhook: hooks.url, webhook_events_filter: ['completed'] });
    await vi.waitFor(() => expect(hooks.deliveries).toHaveLength(1));
    const { body, headers } = hooks.deliveries[0]!;
    expect(verifyReplicateWebhook(body, headers, r.webhookSecret)).toMatchObject({ status: 'succeeded' });
    expect(() =>
      verifyReplicateWebhook(body.replace('succeeded', 'failed'), headers, r.webhookSecret),
    ).toThrow(WebhookRejected);
  });
});

describe('the fal preset', () => {
  const preset = (f: FakeFal, extra: Record<string, unknown> = {}) =>
    ({
      preset: 'fal',
      baseUrl: f.url,
      apiKey: f.key,
      model: 'fal-ai/kling-video/v2/text-to-video',
      input,
      ...extra,
    }) as HttpTaskConfig;

  it('submits to the queue, follows the status with logs, and reads the result from response_url', async () => {
    const f = await started(new FakeFal());
    const { progress, result } = run(preset(f));
    const out = await result;
    expect(f.requests[0]).toMatchObject({
      method: 'POST',
      path: '/fal-ai/kling-video/v2/text-to-video',
      auth: `Key ${f.key}`,
      body: { prompt: 'Dust wave rolls down the avenue', seed: 7, num_frames: 48 },
    });
    // Status and result live under the app id, without the endpoint's sub-path.
    expect(f.requests.map((q) => `${q.method} ${q.path.replace(/[0-9a-f-]{36}/, 'ID')}`)).toEqual([
      'POST /fal-ai/kling-video/v2/text-to-video',
      'GET /fal-ai/kling-video/requests/ID/status?logs=1',
      'GET /fal-ai/kling-video/requests/ID/status?logs=1',
      'GET /fal-ai/kling-video/requests/ID/status?logs=1',
      'GET /fal-ai/kling-video/requests/ID',
      'GET /files/ID/output.mp4',
    ]);
    expect(progress.map((p) => p.percent)).toEqual([80, 100]);
    expect(out.outputs).toHaveLength(1);
    expect(out.usage).toEqual({ unit: 'gpu-second', quantity: 3.25 });
  });

  it('reports a request the model refused as permanent, naming the field, with its inference time', async () => {
    const f = await started(new FakeFal());
    f.outcome = 'invalid-input';
    const error = await failure(run(preset(f)).result);
    expect(error).toBeInstanceOf(ProviderRejectedTask);
    expect(error!.message).toMatch(/HTTP 422\): body\.prompt: Field required/);
    expect(error!.usage).toEqual({ unit: 'gpu-second', quantity: 3.25 });
  });

  it('waits out a 429 as its Retry-After says', async () => {
    const f = await started(new FakeFal());
    f.throttleCreates = 1;
    await run(preset(f)).result;
    const creates = f.requests.filter((q) => q.method === 'POST');
    expect(creates[1]!.at - creates[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('cancels with PUT cancel_url when the shot is cancelled', async () => {
    const f = await started(new FakeFal());
    const abort = new AbortController();
    const { result } = run(preset(f, { pollIntervalMs: 50 }), abort.signal);
    await vi.waitFor(() => expect(f.requests.length).toBeGreaterThanOrEqual(2));
    abort.abort();
    await expect(result).rejects.toThrow(GenerationCancelled);
    await vi.waitFor(() =>
      expect(f.requests.some((q) => q.method === 'PUT' && q.path.endsWith('/cancel'))).toBe(true),
    );
  });

  it('passes fal_webhook, and the delivery verifies against the JWKS and fails when tampered', async () => {
    const f = await started(new FakeFal());
    const hooks = await receiver();
    await run(preset(f, { webhookUrl: hooks.url })).result;
    expect(f.requests[0]!.path).toBe(
      `/fal-ai/kling-video/v2/text-to-video?fal_webhook=${encodeURIComponent(hooks.url)}`,
    );
    await vi.waitFor(() => expect(hooks.deliveries).toHaveLength(1));
    const { body, headers } = hooks.deliveries[0]!;
    expect(verifyFalWebhook(body, headers, f.jwks)).toMatchObject({ status: 'OK', payload: { video: {} } });
    expect(() => verifyFalWebhook(body.replace('OK', 'ERROR'), headers, f.jwks)).toThrow(WebhookRejected);
    expect(() => verifyFalWebhook(body, headers, f.jwks, Date.now() + 10 * 60_000)).toThrow(/five minutes/);
  });
});
