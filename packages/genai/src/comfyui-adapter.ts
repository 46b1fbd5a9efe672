import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { v4 as uuidv4 } from 'uuid';
import WebSocket from 'ws';
import { z } from 'zod';
import type { GenaiAdapter, GeneratedFile, GenerationResult, GenerationTask, Progress } from './adapter';
import { GenerationCancelled, ProviderRejectedTask, ProviderUnavailable } from './errors';
import { fillWorkflow } from './workflow-template';

export interface ComfyUiOptions {
  /** e.g. http://127.0.0.1:8188 */
  baseUrl: string;
  /** The workflow in ComfyUI's API format, with `{{brief}}`, `{{seed}}`, `{{frames}}`, `{{width}}`, `{{height}}`, `{{shot}}`. */
  workflowTemplate: string;
  model?: string;
  /** The shot resolution is scaled by this for the latent size. */
  scale?: number;
  /** How long to wait before reconnecting a dropped WebSocket. */
  reconnectDelayMs?: number;
}

const PromptAccepted = z.object({
  prompt_id: z.string(),
  number: z.number().optional(),
  node_errors: z.record(z.string(), z.unknown()).optional(),
});
const PromptRejected = z.object({
  error: z.object({ type: z.string(), message: z.string(), details: z.string().optional() }).loose(),
  node_errors: z
    .record(
      z.string(),
      z
        .object({
          errors: z.array(z.object({ message: z.string(), details: z.string().optional() }).loose()),
          class_type: z.string().optional(),
        })
        .loose(),
    )
    .default({}),
});
const ImageRef = z.object({
  filename: z.string(),
  subfolder: z.string().default(''),
  type: z.string().default('output'),
});
const HistoryEntry = z.object({
  outputs: z.record(z.string(), z.object({ images: z.array(ImageRef).optional() }).loose()).default({}),
  status: z
    .object({ status_str: z.string().optional(), completed: z.boolean().optional() })
    .loose()
    .optional(),
});
const Message = z.object({ type: z.string(), data: z.record(z.string(), z.unknown()).default({}) });

type Outcome = { kind: 'done' } | { kind: 'error'; error: Error };

/**
 * A client of ComfyUI's server API, as ComfyUI implements it: queue the workflow with `POST /prompt`
 * and a client id, follow `status`/`execution_start`/`executing`/`progress`/`executed`/
 * `execution_success`/`execution_error`/`execution_interrupted` on `/ws?clientId=`, read the outputs
 * from `/history/{prompt_id}` and download them from `/view`. A dropped WebSocket is reconnected and
 * reconciled with `/history`; cancel is `/interrupt` plus deletion from the queue.
 */
export class ComfyUiAdapter implements GenaiAdapter {
  readonly name = 'comfyui';

  constructor(private readonly options: ComfyUiOptions) {}

  async generate(
    task: GenerationTask,
    options: { onProgress(p: Progress): void; signal: AbortSignal },
  ): Promise<GenerationResult> {
    const base = this.options.baseUrl.replace(/\/+$/, '');
    const clientId = uuidv4();
    const { prompt, hash } = fillWorkflow(this.options.workflowTemplate, task, this.options.scale ?? 0.5);
    let promptId: string | undefined;
    let startedAt: number | undefined;
    let settle!: (o: Outcome) => void;
    const outcome = new Promise<Outcome>((resolve) => {
      settle = resolve;
    });
    let finished = false;
    const done = (o: Outcome) => {
      if (finished) return;
      finished = true;
      settle(o);
    };
    const onMessage = (raw: WebSocket.RawData, isBinary: boolean) => {
      if (isBinary) return; // latent previews
      const parsed = Message.safeParse(JSON.parse(raw.toString()));
      if (!parsed.success) return;
      const { type, data } = parsed.data;
      if (data.prompt_id !== undefined && data.prompt_id !== promptId) return;
      if (type === 'execution_start') startedAt = Date.now();
      else if (
        type === 'progress' &&
        typeof data.value === 'number' &&
        typeof data.max === 'number' &&
        data.max > 0
      ) {
        options.onProgress({
          percent: Math.min(100, (data.value / data.max) * 100),
          message: `node ${String(data.node)} step ${data.value}/${data.max}`,
        });
      } else if (
        type === 'execution_success' ||
        (type === 'executing' && data.node === null && promptId !== undefined)
      )
        done({ kind: 'done' });
      else if (type === 'execution_error') {
        const message = `node ${String(data.node_id)} (${String(data.node_type)}) failed: ${String(data.exception_message)}`;
        // Running out of GPU memory passes; anything else in the workflow will fail the same way again.
        done({
          kind: 'error',
          error: /OutOfMemory|out of memory/i.test(
            `${String(data.exception_type)} ${String(data.exception_message)}`,
          )
            ? new ProviderUnavailable(message)
            : new ProviderRejectedTask(message),
        });
      } else if (type === 'execution_interrupted') {
        done({
          kind: 'error',
          error: options.signal.aborted
            ? new GenerationCancelled(task.taskId)
            : new ProviderUnavailable(`ComfyUI interrupted the prompt at node ${String(data.node_id)}`),
        });
      }
    };

    let socket: WebSocket | undefined;
    const connect = () =>
      new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws?clientId=${clientId}`);
        ws.once('open', () => {
          socket = ws;
          resolve();
        });
        ws.once('error', reject);
        ws.on('message', onMessage);
        ws.on('close', () => {
          if (finished || socket !== ws) return;
          // A dropped connection: reconnect, and ask /history in case the prompt finished meanwhile.
          setTimeout(() => void reconnect(), this.options.reconnectDelayMs ?? 200);
        });
      });
    const reconnect = async () => {
      for (let attempt = 0; attempt < 20 && !finished; attempt++) {
        try {
          await connect();
          if (promptId && (await this.history(base, promptId))) done({ kind: 'done' });
          return;
        } catch {
          await new Promise((r) => setTimeout(r, (this.options.reconnectDelayMs ?? 200) * (attempt + 1)));
        }
      }
      done({
        kind: 'error',
        error: new ProviderUnavailable(`lost the ComfyUI WebSocket at ${base} and could not reconnect`),
      });
    };

    const abort = () => {
      if (!promptId) return;
      void fetch(`${base}/interrupt`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt_id: promptId }),
      }).catch(() => {});
      void fetch(`${base}/queue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ delete: [promptId] }),
      }).catch(() => {});
      // If ComfyUI never answers with execution_interrupted, do not wait for it.
      setTimeout(() => done({ kind: 'error', error: new GenerationCancelled(task.taskId) }), 2_000).unref();
    };
    try {
      try {
        await connect();
      } catch (error) {
        throw new ProviderUnavailable(`cannot reach ComfyUI at ${base}: ${(error as Error).message}`);
      }
      promptId = await this.queuePrompt(base, prompt, clientId);
      if (options.signal.aborted) abort();
      options.signal.addEventListener('abort', abort, { once: true });
      const result = await outcome;
      if (result.kind === 'error') throw result.error;
      const entry = await this.history(base, promptId);
      if (!entry) throw new ProviderUnavailable(`ComfyUI has no history for prompt ${promptId}`);
      const outputs = await this.download(base, entry, task);
      const seconds = startedAt ? (Date.now() - startedAt) / 1000 : 0;
      return {
        outputs,
        usage: { unit: 'gpu-second', quantity: Math.round(seconds * 1000) / 1000 },
        model: this.options.model ?? 'comfyui-workflow',
        modelVersion: hash.slice(0, 12),
        workflowHash: hash,
      };
    } finally {
      options.signal.removeEventListener('abort', abort);
      finished = true;
      socket?.close();
    }
  }

  private async queuePrompt(
    base: string,
    prompt: Record<string, unknown>,
    clientId: string,
  ): Promise<string> {
    let response: Response;
    try {
      response = await fetch(`${base}/prompt`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt, client_id: clientId }),
      });
    } catch (error) {
      throw new ProviderUnavailable(`cannot reach ComfyUI at ${base}: ${(error as Error).message}`);
    }
    const body: unknown = await response.json().catch(() => ({}));
    if (response.status === 400) {
      const rejected = PromptRejected.safeParse(body);
      if (!rejected.success)
        throw new ProviderRejectedTask(`ComfyUI refused the workflow: ${JSON.stringify(body).slice(0, 300)}`);
      const nodes = Object.entries(rejected.data.node_errors).map(
        ([id, n]) =>
          `node ${id}${n.class_type ? ` (${n.class_type})` : ''}: ${n.errors.map((e) => `${e.message}${e.details ? ` — ${e.details}` : ''}`).join('; ')}`,
      );
      throw new ProviderRejectedTask(
        `ComfyUI refused the workflow: ${rejected.data.error.message}${nodes.length ? `; ${nodes.join('; ')}` : ''}`,
      );
    }
    if (!response.ok)
      throw new ProviderUnavailable(`ComfyUI answered HTTP ${response.status} to POST /prompt`);
    return PromptAccepted.parse(body).prompt_id;
  }

  private async history(base: string, promptId: string): Promise<z.infer<typeof HistoryEntry> | undefined> {
    const response = await fetch(`${base}/history/${encodeURIComponent(promptId)}`);
    if (!response.ok) return undefined;
    const all = (await response.json()) as Record<string, unknown>;
    const entry = all[promptId];
    if (!entry) return undefined;
    const parsed = HistoryEntry.parse(entry);
    return parsed.status?.completed === false ? undefined : parsed;
  }

  private async download(
    base: string,
    entry: z.infer<typeof HistoryEntry>,
    task: GenerationTask,
  ): Promise<GeneratedFile[]> {
    await mkdir(task.outputDir, { recursive: true });
    const files: GeneratedFile[] = [];
    const images = Object.values(entry.outputs).flatMap((o) => o.images ?? []);
    for (const [i, image] of images.entries()) {
      const query = new URLSearchParams({
        filename: image.filename,
        subfolder: image.subfolder,
        type: image.type,
      });
      const response = await fetch(`${base}/view?${query}`);
      if (!response.ok)
        throw new ProviderUnavailable(`ComfyUI answered HTTP ${response.status} for /view?${query}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      const path = join(task.outputDir, image.filename.replace(/[^\w.-]/g, '_'));
      await writeFile(path, bytes);
      files.push({
        path,
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        frame: task.request.frames.start + i,
      });
    }
    return files;
  }
}
