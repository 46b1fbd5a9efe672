import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { frameCount, UsageUnit } from '@shotcaller/contracts';
import { z } from 'zod';
import type { GenaiAdapter, GeneratedFile, GenerationResult, GenerationTask, Progress } from './adapter';
import { GenerationCancelled, ProviderRejectedTask, ProviderUnavailable } from './errors';

/** How a hosted provider's create-task / poll / download API maps onto a generation task. */
export const HttpTaskConfig = z.strictObject({
  baseUrl: z.url(),
  apiKey: z.string().min(1),
  /** The header that carries the key; `authorization` sends `Bearer <key>`. */
  apiKeyHeader: z.string().default('authorization'),
  createPath: z.string().default('/v1/tasks'),
  /** `{id}` is replaced with the task id the provider returned. */
  statusPath: z.string().default('/v1/tasks/{id}'),
  cancelPath: z.string().default('/v1/tasks/{id}/cancel'),
  /** The create body; string values `{{brief}}`, `{{seed}}`, `{{frames}}`, `{{width}}`, `{{height}}`, `{{fps}}` are filled from the shot. */
  body: z.record(z.string(), z.unknown()),
  /** Dotted paths into the provider's JSON replies. */
  fields: z
    .strictObject({
      id: z.string().default('id'),
      status: z.string().default('status'),
      progress: z.string().optional(),
      outputs: z.string().default('output.urls'),
      error: z.string().default('error'),
      usage: z.string().optional(),
    })
    .prefault({}),
  statuses: z
    .strictObject({
      done: z.array(z.string()).default(['succeeded', 'completed']),
      failed: z.array(z.string()).default(['failed', 'error']),
      cancelled: z.array(z.string()).default(['cancelled', 'canceled']),
    })
    .prefault({}),
  usageUnit: UsageUnit.default('credit'),
  pollIntervalMs: z.int().positive().default(2_000),
  /** Most 429 answers to wait out for one request before giving up (the worker then retries later). */
  maxRateLimitWaits: z.int().nonnegative().default(5),
  model: z.string().default('hosted'),
});
export type HttpTaskConfig = z.input<typeof HttpTaskConfig>;

const at = (value: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      value,
    );

/** Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A client for hosted generation APIs of the create-task / poll-status / download-output kind, with an
 * API key, a configurable field mapping, `429` + `Retry-After` honoured, and 5xx treated as transient.
 */
export class HttpTaskAdapter implements GenaiAdapter {
  readonly name: string;
  private readonly config: z.output<typeof HttpTaskConfig>;

  constructor(name: string, config: HttpTaskConfig) {
    this.name = name;
    this.config = HttpTaskConfig.parse(config);
  }

  async generate(
    task: GenerationTask,
    options: { onProgress(p: Progress): void; signal: AbortSignal },
  ): Promise<GenerationResult> {
    const c = this.config;
    const r = task.request;
    const values: Record<string, string | number> = {
      brief: r.brief,
      seed: task.seed,
      frames: frameCount(r.frames),
      width: r.resolution.width,
      height: r.resolution.height,
      fps: r.fps,
    };
    const fill = (v: unknown): unknown => {
      if (typeof v === 'string') {
        const key = /^\{\{(\w+)\}\}$/.exec(v)?.[1];
        return key !== undefined && key in values ? values[key] : v;
      }
      if (Array.isArray(v)) return v.map(fill);
      if (v && typeof v === 'object')
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
      return v;
    };
    const body = fill(c.body);
    const created = await this.call('POST', c.createPath, body, options.signal);
    const id = String(at(created, c.fields.id) ?? '');
    if (!id)
      throw new ProviderUnavailable(
        `${this.name} answered the create call without a task id at "${c.fields.id}"`,
      );
    const path = (p: string) => p.replace('{id}', encodeURIComponent(id));
    const cancel = () => void this.call('POST', path(c.cancelPath), {}, undefined).catch(() => {});
    options.signal.addEventListener('abort', cancel, { once: true });
    try {
      for (;;) {
        if (options.signal.aborted) throw new GenerationCancelled(task.taskId);
        const status = await this.call('GET', path(c.statusPath), undefined, options.signal);
        const state = String(at(status, c.fields.status) ?? '');
        const progress = c.fields.progress ? Number(at(status, c.fields.progress)) : Number.NaN;
        if (!Number.isNaN(progress))
          options.onProgress({
            percent: Math.max(0, Math.min(100, progress <= 1 ? progress * 100 : progress)),
            message: state,
          });
        if (c.statuses.done.includes(state)) {
          const urls = at(status, c.fields.outputs);
          if (!Array.isArray(urls) || urls.length === 0)
            throw new ProviderRejectedTask(
              `${this.name} finished task ${id} with no outputs at "${c.fields.outputs}"`,
            );
          const outputs = await this.download(urls.map(String), task, options.signal);
          const usage = c.fields.usage ? Number(at(status, c.fields.usage) ?? 0) : urls.length;
          return {
            outputs,
            usage: { unit: c.usageUnit, quantity: usage },
            model: c.model,
            modelVersion: c.model,
            workflowHash: createHash('sha256').update(JSON.stringify(c.body)).digest('hex'),
          };
        }
        if (c.statuses.failed.includes(state)) {
          const error = at(status, c.fields.error);
          throw new ProviderRejectedTask(
            `${this.name} failed task ${id}: ${typeof error === 'string' ? error : JSON.stringify(error ?? 'no reason given')}`,
          );
        }
        if (c.statuses.cancelled.includes(state)) throw new GenerationCancelled(task.taskId);
        await new Promise((resolve) => setTimeout(resolve, c.pollIntervalMs));
      }
    } finally {
      options.signal.removeEventListener('abort', cancel);
    }
  }

  private headers(json: boolean): Record<string, string> {
    const c = this.config;
    return {
      ...(json ? { 'content-type': 'application/json' } : {}),
      [c.apiKeyHeader]: c.apiKeyHeader.toLowerCase() === 'authorization' ? `Bearer ${c.apiKey}` : c.apiKey,
    };
  }

  /** One API call, waiting out 429s as the provider asks; 5xx and network errors are transient. */
  private async call(
    method: string,
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    for (let waits = 0; ; waits++) {
      let response: Response;
      try {
        response = await fetch(`${this.config.baseUrl.replace(/\/+$/, '')}${path}`, {
          method,
          headers: this.headers(body !== undefined),
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new ProviderUnavailable(`cannot reach ${this.name}: ${(error as Error).message}`);
      }
      if (response.status === 429 && waits < this.config.maxRateLimitWaits) {
        const wait = retryAfterMs(response.headers.get('retry-after'), Date.now()) ?? 1_000 * 2 ** waits;
        await response.body?.cancel();
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      const text = await response.text();
      if (response.status === 429)
        throw new ProviderUnavailable(`${this.name} kept answering 429 Too Many Requests`);
      if (response.status >= 500)
        throw new ProviderUnavailable(`${this.name} answered HTTP ${response.status}`);
      if (response.status === 401 || response.status === 403)
        throw new ProviderRejectedTask(`${this.name} refused the API key (HTTP ${response.status})`);
      if (!response.ok)
        throw new ProviderRejectedTask(
          `${this.name} refused the request (HTTP ${response.status}): ${text.slice(0, 300)}`,
        );
      return text ? JSON.parse(text) : {};
    }
  }

  private async download(
    urls: string[],
    task: GenerationTask,
    signal: AbortSignal,
  ): Promise<GeneratedFile[]> {
    await mkdir(task.outputDir, { recursive: true });
    const files: GeneratedFile[] = [];
    for (const [i, url] of urls.entries()) {
      const response = await fetch(url, { signal });
      if (!response.ok) throw new ProviderUnavailable(`downloading ${url} answered HTTP ${response.status}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      const name = `${task.request.shot}.${String(i + 1).padStart(4, '0')}${new URL(url).pathname.match(/\.\w+$/)?.[0] ?? '.bin'}`;
      const path = join(task.outputDir, name);
      await writeFile(path, bytes);
      files.push({ path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
    return files;
  }
}
