import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpTaskAdapter, ProviderRejectedTask, ProviderUnavailable, retryAfterMs } from '@shotcaller/genai';
import { aShotRequest } from '@shotcaller/testkit';
import { afterEach, describe, expect, it } from 'vitest';

interface Behaviour {
  rateLimitFirstCreate?: string;
  finalStatus?: 'succeeded' | 'failed';
  serverError?: boolean;
}

/** A hosted task API of the usual shape: POST /v1/tasks, GET /v1/tasks/:id, file downloads, an API key. */
async function provider(b: Behaviour) {
  const requests: Array<{ at: number; method: string; path: string; auth?: string; body?: unknown }> = [];
  let polls = 0;
  let creates = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      requests.push({
        at: Date.now(),
        method: req.method!,
        path: req.url!,
        ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
        ...(body ? { body: JSON.parse(body) } : {}),
      });
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
      };
      // Outputs come from pre-signed URLs: no API key goes with them.
      if (req.url?.startsWith('/files/'))
        return void res.writeHead(200, { 'content-type': 'video/mp4' }).end(Buffer.from(`video ${req.url}`));
      if (req.headers.authorization !== 'Bearer key-123') return json(401, { error: 'bad key' });
      if (b.serverError) return json(503, { error: 'maintenance' });
      if (req.method === 'POST' && req.url === '/v1/tasks') {
        creates++;
        if (creates === 1 && b.rateLimitFirstCreate)
          return json(429, { error: 'slow down' }, { 'retry-after': b.rateLimitFirstCreate });
        return json(201, { id: 'task-9' });
      }
      if (req.method === 'GET' && req.url === '/v1/tasks/task-9') {
        polls++;
        if (polls < 3) return json(200, { status: 'running', progress: polls / 3 });
        if (b.finalStatus === 'failed')
          return json(200, { status: 'failed', error: 'content policy: recognisable public figure' });
        return json(200, {
          status: 'succeeded',
          progress: 1,
          output: { urls: [`${url}/files/a.mp4`, `${url}/files/b.mp4`] },
          usage: { credits: 12.5 },
        });
      }
      json(404, {});
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url, requests };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const adapterFor = (url: string) =>
  new HttpTaskAdapter('hosted-video', {
    baseUrl: url,
    apiKey: 'key-123',
    body: {
      prompt: '{{brief}}',
      seed: '{{seed}}',
      frames: '{{frames}}',
      size: { w: '{{width}}', h: '{{height}}' },
    },
    fields: { progress: 'progress', usage: 'usage.credits' },
    pollIntervalMs: 10,
  });
const generate = (url: string) =>
  adapterFor(url).generate(
    {
      taskId: 't',
      shotId: 'sh',
      request: aShotRequest({ frames: { start: 1, end: 48 } }),
      seed: 7,
      outputDir: mkdtempSync(join(tmpdir(), 'http-task-')),
    },
    { onProgress: () => {}, signal: new AbortController().signal },
  );

describe('the http-task adapter', () => {
  it('creates a task with the mapped body, polls it and downloads its outputs', async () => {
    const p = await provider({});
    const result = await generate(p.url);
    expect(p.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/tasks',
      auth: 'Bearer key-123',
      body: { seed: 7, frames: 48, size: { w: 1920, h: 1080 } },
    });
    expect(result.outputs).toHaveLength(2);
    expect(readFileSync((result.outputs[0] as { path: string }).path, 'utf8')).toBe('video /files/a.mp4');
    expect(result.usage).toEqual({ unit: 'credit', quantity: 12.5 });
  });

  it('waits as long as a 429 Retry-After says before trying again', async () => {
    const p = await provider({ rateLimitFirstCreate: '1' });
    await generate(p.url);
    const creates = p.requests.filter((r) => r.method === 'POST');
    expect(creates).toHaveLength(2);
    expect(creates[1]!.at - creates[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('reports a failed task as permanent, with the provider’s reason', async () => {
    const p = await provider({ finalStatus: 'failed' });
    await expect(generate(p.url)).rejects.toThrow(ProviderRejectedTask);
    await expect(generate(p.url)).rejects.toThrow(/content policy: recognisable public figure/);
  });

  it('reports a 5xx as transient', async () => {
    const p = await provider({ serverError: true });
    await expect(generate(p.url)).rejects.toThrow(ProviderUnavailable);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Wed, 25 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });
});
