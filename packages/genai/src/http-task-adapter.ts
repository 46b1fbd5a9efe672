import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, frameCount } from '@shotcaller/contracts';
import { z } from 'zod';
import type {
  GenaiAdapter,
  GeneratedFile,
  GenerationResult,
  GenerationTask,
  Progress,
  Usage,
} from './adapter';
import { GenerationCancelled, ProviderRejectedTask, ProviderUnavailable } from './errors';
import {
  CustomTaskConfig,
  customProtocol,
  FalConfig,
  falProtocol,
  ReplicateConfig,
  replicateProtocol,
  type TaskProtocol,
} from './task-protocols';

/**
 * A hosted generation API of the create-task / poll-status / download-output kind: a preset
 * (`replicate`, `fal`) that follows that provider's documented API, or `custom` with its paths and
 * fields configured.
 */
export const HttpTaskConfig = z.union([ReplicateConfig, FalConfig, CustomTaskConfig]);
export type HttpTaskConfig = z.input<typeof HttpTaskConfig>;

/** Milliseconds to wait from a Retry-After header: delta-seconds or an HTTP-date. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** How long a 429 asks to wait: its Retry-After, else the "resets in ~30s" Replicate writes in `detail`. */
function throttleMs(response: Response, body: string, now: number): number | undefined {
  const header = retryAfterMs(response.headers.get('retry-after'), now);
  if (header !== undefined) return header;
  const seconds = /(?:resets in ~?|available in )(\d+)\s*s/i.exec(body)?.[1];
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}

/** The sentence a provider's error body carries: RFC 9457 `detail`/`title`, fal's `detail` list, or `error`. */
function reason(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const detail = body.detail;
    if (Array.isArray(detail))
      return detail
        .map(
          (d) => `${(d as { loc?: unknown[] }).loc?.join('.') ?? ''}: ${(d as { msg?: string }).msg ?? ''}`,
        )
        .join('; ');
    return String(detail ?? body.title ?? body.error ?? text);
  } catch {
    return text.slice(0, 300);
  }
}

/** The protocol a configuration speaks. */
export function protocolFor(config: z.output<typeof HttpTaskConfig>): TaskProtocol {
  switch (config.preset) {
    case 'replicate':
      return replicateProtocol(config);
    case 'fal':
      return falProtocol(config);
    default:
      return customProtocol(config);
  }
}

/**
 * A client for hosted generation APIs: creates the task from the shot, polls it with progress, downloads
 * its outputs, cancels it when the shot is cancelled, waits out `429`s as the provider asks, treats 5xx
 * and network errors as transient, and gives every failure the usage the provider reported for it.
 */
export class HttpTaskAdapter implements GenaiAdapter {
  readonly name: string;
  private readonly config: z.output<typeof HttpTaskConfig>;
  private readonly protocol: TaskProtocol;

  constructor(name: string, config: HttpTaskConfig) {
    this.name = name;
    this.config = HttpTaskConfig.parse(config);
    this.protocol = protocolFor(this.config);
  }

  async generate(
    task: GenerationTask,
    options: { onProgress(p: Progress): void; signal: AbortSignal },
  ): Promise<GenerationResult> {
    const p = this.protocol;
    const template = this.config.preset === 'custom' ? this.config.body : this.config.input;
    const create = p.create(fillBody(template, task));
    const created = await this.call('POST', create.url, create.body, options.signal);
    const remote = p.started(created);
    if (!remote.id) throw new ProviderUnavailable(`${this.name} answered the create call without a task id`);
    const cancel = () =>
      void this.call(remote.cancel.method, remote.cancel.url, {}, undefined).catch(() => undefined);
    options.signal.addEventListener('abort', cancel, { once: true });
    let used: number | undefined;
    const usage = (): Usage | undefined =>
      used === undefined ? undefined : { unit: p.usageUnit, quantity: used };
    try {
      for (;;) {
        if (options.signal.aborted) throw new GenerationCancelled(task.taskId, usage());
        const status = await this.call('GET', remote.poll, undefined, options.signal);
        const s = p.read(status);
        if (s.usage !== undefined) used = s.usage;
        if (s.percent !== undefined)
          options.onProgress({ percent: s.percent, ...(s.message ? { message: s.message } : {}) });
        if (s.state === 'done') {
          const body = remote.result ? await this.result(remote.result, options.signal, usage()) : status;
          const urls = p.outputs(body);
          if (urls.length === 0)
            throw new ProviderRejectedTask(
              `${this.name} finished task ${remote.id} with no output files`,
              usage(),
            );
          let outputs: GeneratedFile[];
          try {
            outputs = await this.download(urls, task, options.signal);
          } catch (error) {
            if (options.signal.aborted) throw new GenerationCancelled(task.taskId, usage());
            throw new ProviderUnavailable(errorMessage(error), usage());
          }
          return {
            outputs,
            usage: usage() ?? { unit: p.usageUnit, quantity: urls.length },
            model: p.model,
            modelVersion: p.model,
            workflowHash: createHash('sha256').update(JSON.stringify(template)).digest('hex'),
          };
        }
        if (s.state === 'failed') {
          const message = `${this.name} failed task ${remote.id}: ${s.error ?? 'no reason given'}`;
          throw s.transient
            ? new ProviderUnavailable(message, usage())
            : new ProviderRejectedTask(message, usage());
        }
        if (s.state === 'cancelled') throw new GenerationCancelled(task.taskId, usage());
        await new Promise((resolve) => setTimeout(resolve, this.config.pollIntervalMs));
      }
    } catch (error) {
      // A network error of an aborted poll is the cancel itself.
      if (options.signal.aborted && !(error instanceof GenerationCancelled))
        throw new GenerationCancelled(task.taskId, usage());
      throw error;
    } finally {
      options.signal.removeEventListener('abort', cancel);
    }
  }

  /** A finished request's result (fal); an error there is the request's own failure. */
  private async result(url: string, signal: AbortSignal, usage: Usage | undefined): Promise<unknown> {
    try {
      return await this.call('GET', url, undefined, signal);
    } catch (error) {
      if (error instanceof ProviderRejectedTask) throw new ProviderRejectedTask(error.message, usage);
      if (error instanceof ProviderUnavailable) throw new ProviderUnavailable(error.message, usage);
      throw error;
    }
  }

  /** One API call, waiting out 429s as the provider asks; 5xx and network errors are transient. */
  private async call(
    method: string,
    url: string,
    body: unknown,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const [header, value] = this.protocol.auth();
    for (let waits = 0; ; waits++) {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: { [header]: value, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new ProviderUnavailable(`cannot reach ${this.name}: ${errorMessage(error)}`);
      }
      const text = await response.text();
      if (response.status === 429 && waits < this.config.maxRateLimitWaits) {
        const wait = throttleMs(response, text, Date.now()) ?? 1_000 * 2 ** waits;
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      if (response.status === 429)
        throw new ProviderUnavailable(`${this.name} kept answering 429 Too Many Requests: ${reason(text)}`);
      if (response.status >= 500)
        throw new ProviderUnavailable(`${this.name} answered HTTP ${response.status}: ${reason(text)}`);
      if (response.status === 401 || response.status === 403)
        throw new ProviderRejectedTask(
          `${this.name} refused the API key (HTTP ${response.status}): ${reason(text)}`,
        );
      if (!response.ok)
        throw new ProviderRejectedTask(
          `${this.name} refused the request (HTTP ${response.status}): ${reason(text)}`,
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
      // Outputs come from pre-signed or public URLs: the API key does not go with them.
      const response = await fetch(url, { signal });
      if (!response.ok) throw new Error(`downloading ${url} answered HTTP ${response.status}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      const name = `${task.request.shot}.${String(i + 1).padStart(4, '0')}${new URL(url).pathname.match(/\.\w+$/)?.[0] ?? '.bin'}`;
      const path = join(task.outputDir, name);
      await writeFile(path, bytes);
      files.push({ path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
    return files;
  }
}

/** The template with `{{brief}}`, `{{seed}}`, `{{frames}}`, `{{width}}`, `{{height}}`, `{{fps}}` filled from the shot. */
function fillBody(template: unknown, task: GenerationTask): unknown {
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
  return fill(template);
}
