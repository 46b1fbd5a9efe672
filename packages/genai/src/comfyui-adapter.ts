import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '@shotcaller/contracts';
import { v4 as uuidv4 } from 'uuid';
import WebSocket from 'ws';
import type {
  GenaiAdapter,
  GeneratedFile,
  GenerationResult,
  GenerationTask,
  Progress,
  Usage,
} from './adapter';
import {
  describeExecutionError,
  describeRefusal,
  type FileRef,
  HistoryEntry,
  isOutOfMemory,
  Message,
  outputFiles,
  PromptAccepted,
  PromptRejected,
} from './comfyui-protocol';
import { PromptWatch } from './comfyui-watch';
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
  /** Sent with every request and the WebSocket upgrade: for a ComfyUI behind an authenticating proxy. */
  headers?: Record<string, string>;
  /** How long to wait before reconnecting a dropped WebSocket. */
  reconnectDelayMs?: number;
  /** How long to keep asking `/history` for a prompt ComfyUI said had finished. */
  historyWaitMs?: number;
  /** How often `/history` is asked while a prompt runs, in case a WebSocket message was lost. */
  historyPollMs?: number;
  /** How long ComfyUI may answer nothing before a running prompt is given up as lost. */
  unreachableMs?: number;
}

/** If ComfyUI never confirms an interrupt, the cancel does not wait longer than this. */
const CANCEL_WAIT_MS = 2_000;

/**
 * A client of ComfyUI's server API, as ComfyUI implements it: queue the workflow with `POST /prompt`
 * and a client id, follow the prompt on `/ws?clientId=`, read its outputs from `/history/{prompt_id}`
 * and download them from `/view`. ComfyUI sends `execution_success` before it writes the history
 * entry (and `executing` with `node: null` after), so a finished prompt's history is waited for, never
 * taken as missing: a late entry must not re-run paid GPU work. A dropped WebSocket is reconnected and
 * reconciled with `/history`; cancel is `/interrupt` plus deletion from the queue. Every failure after
 * the prompt started carries the GPU seconds it used.
 */
export class ComfyUiAdapter implements GenaiAdapter {
  readonly name = 'comfyui';
  private readonly base: string;

  constructor(private readonly options: ComfyUiOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  async generate(
    task: GenerationTask,
    options: { onProgress(p: Progress): void; signal: AbortSignal },
  ): Promise<GenerationResult> {
    const clientId = uuidv4();
    const { prompt, hash } = fillWorkflow(this.options.workflowTemplate, task, this.options.scale ?? 0.5);
    const watch = new PromptWatch(prompt as Record<string, { class_type?: unknown }>, options.onProgress);
    let recheck = false;
    const socket = new ComfySocket(
      `${this.base.replace(/^http/, 'ws')}/ws?clientId=${clientId}`,
      this.options.headers ?? {},
      (m) => watch.receive(m, Date.now()),
      () => {
        // Messages sent while the socket was down are lost: ask /history at once.
        recheck = true;
        watch.wake();
      },
      this.options.reconnectDelayMs ?? 200,
    );
    try {
      try {
        await socket.open();
      } catch (error) {
        throw new ProviderUnavailable(`cannot reach ComfyUI at ${this.base}: ${errorMessage(error)}`);
      }
      const promptId = await this.queuePrompt(prompt, clientId);
      watch.identify(promptId, Date.now());
      const entry = await this.settle(promptId, watch, options.signal, task.taskId, () => {
        const r = recheck;
        recheck = false;
        return r;
      });
      const usage = gpuSeconds(watch);
      const files = outputFiles(entry.outputs);
      if (files.length === 0)
        throw new ProviderRejectedTask(
          `ComfyUI finished prompt ${promptId} without an output file: the workflow needs a save node (SaveImage or similar)`,
          usage,
        );
      let outputs: GeneratedFile[];
      try {
        outputs = await this.download(files, task);
      } catch (error) {
        throw new ProviderUnavailable(errorMessage(error), usage);
      }
      return {
        outputs,
        usage,
        model: this.options.model ?? 'comfyui-workflow',
        modelVersion: hash.slice(0, 12),
        workflowHash: hash,
      };
    } finally {
      socket.close();
    }
  }

  /**
   * Waits for the prompt's end and returns its history entry. The WebSocket says when; `/history` says
   * what, and is asked again with backoff until the entry is written, also while the socket is down
   * and every `historyPollMs` in case a message was lost.
   */
  private async settle(
    promptId: string,
    watch: PromptWatch,
    signal: AbortSignal,
    taskId: string,
    reconnected: () => boolean,
  ): Promise<HistoryEntry> {
    const pollMs = this.options.historyPollMs ?? 10_000;
    const waitMs = this.options.historyWaitMs ?? 120_000;
    const unreachableMs = this.options.unreachableMs ?? 60_000;
    let abortedAt: number | undefined;
    const onAbort = () => {
      abortedAt = Date.now();
      this.cancel(promptId);
      watch.wake();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    let finishedAt: number | undefined;
    let asked = 0;
    let nextAsk = Date.now() + pollMs;
    let unreachableSince: number | undefined;
    try {
      for (;;) {
        const now = Date.now();
        const usage = () => gpuSeconds(watch);
        const verdict = watch.verdict;
        if (abortedAt !== undefined && (verdict || now - abortedAt >= CANCEL_WAIT_MS))
          throw new GenerationCancelled(taskId, usage());
        if (verdict?.kind === 'error') throw executionFailure(verdict.data, usage());
        if (verdict?.kind === 'interrupted')
          throw new ProviderUnavailable(
            `ComfyUI interrupted prompt ${promptId} at node ${String(verdict.data.node_id)}`,
            usage(),
          );
        const finished = verdict?.kind === 'success' || watch.historyWritten;
        if (finished) finishedAt ??= now;
        if (finished || now >= nextAsk || reconnected()) {
          let entry: HistoryEntry | undefined;
          try {
            entry = await this.history(promptId);
            unreachableSince = undefined;
          } catch (error) {
            unreachableSince ??= now;
            if (now - unreachableSince >= unreachableMs)
              throw new ProviderUnavailable(
                `lost ComfyUI at ${this.base} while prompt ${promptId} ran: ${errorMessage(error)}`,
                usage(),
              );
          }
          if (entry) {
            watch.absorb(entry);
            const failure = failureIn(entry, promptId, signal.aborted, taskId, gpuSeconds(watch));
            if (failure) throw failure;
            return entry;
          }
          if (finishedAt !== undefined && now - finishedAt >= waitMs) {
            // The outputs were announced node by node: use them rather than pay for the run again.
            if (verdict?.kind === 'success' && outputFiles(watch.outputs).length > 0)
              return { outputs: watch.outputs };
            throw new ProviderUnavailable(
              `ComfyUI said prompt ${promptId} finished but had no history for it after ${Math.round(waitMs / 1000)} s`,
              usage(),
            );
          }
          nextAsk = now + (unreachableSince === undefined ? pollMs : Math.min(pollMs, 1_000));
        }
        let delay = finished ? Math.min(1_000, 25 * 2 ** asked++) : nextAsk - Date.now();
        if (abortedAt !== undefined) delay = Math.min(delay, abortedAt + CANCEL_WAIT_MS - Date.now());
        await watch.next(delay);
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private request(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.base}${path}`, {
      ...init,
      headers: { ...this.options.headers, ...(init.headers as Record<string, string> | undefined) },
    });
  }

  private post(path: string, body: unknown): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /** Interrupts the prompt if it runs and takes it off the queue if it waits; best effort either way. */
  private cancel(promptId: string): void {
    // Failures need no handling: the settle loop stops waiting for a confirmation after CANCEL_WAIT_MS.
    void this.post('/interrupt', { prompt_id: promptId }).catch(() => undefined);
    void this.post('/queue', { delete: [promptId] }).catch(() => undefined);
  }

  private async queuePrompt(prompt: Record<string, unknown>, clientId: string): Promise<string> {
    let response: Response;
    try {
      response = await this.post('/prompt', { prompt, client_id: clientId });
    } catch (error) {
      throw new ProviderUnavailable(`cannot reach ComfyUI at ${this.base}: ${errorMessage(error)}`);
    }
    const body: unknown = await response.json().catch(() => ({}));
    const nodes = prompt as Record<string, { class_type?: unknown }>;
    if (response.status === 400) {
      const refused = PromptRejected.safeParse(body);
      throw new ProviderRejectedTask(
        refused.success
          ? describeRefusal(refused.data, nodes)
          : `ComfyUI refused the workflow: ${JSON.stringify(body).slice(0, 300)}`,
      );
    }
    if (!response.ok)
      throw new ProviderUnavailable(
        `ComfyUI at ${this.base} answered HTTP ${response.status} to POST /prompt`,
      );
    const accepted = PromptAccepted.safeParse(body);
    if (!accepted.success)
      throw new ProviderUnavailable(
        `ComfyUI answered POST /prompt without a prompt id: ${JSON.stringify(body)}`,
      );
    const { prompt_id, node_errors } = accepted.data;
    // Queued with only the outputs that passed: a template with a broken branch is refused whole.
    if (Object.keys(node_errors).length > 0) {
      this.cancel(prompt_id);
      throw new ProviderRejectedTask(
        describeRefusal(
          {
            error: { type: '', message: 'Some outputs failed validation', details: '', extra_info: {} },
            node_errors,
          },
          nodes,
        ),
      );
    }
    return prompt_id;
  }

  /** The prompt's history entry, or undefined while ComfyUI has not written it; throws when unreachable. */
  private async history(promptId: string): Promise<HistoryEntry | undefined> {
    const response = await this.request(`/history/${encodeURIComponent(promptId)}`);
    if (!response.ok) throw new Error(`HTTP ${response.status} from /history/${promptId}`);
    const all = (await response.json()) as Record<string, unknown>;
    const entry = all[promptId];
    return entry ? HistoryEntry.parse(entry) : undefined;
  }

  private async download(files: FileRef[], task: GenerationTask): Promise<GeneratedFile[]> {
    await mkdir(task.outputDir, { recursive: true });
    const out: GeneratedFile[] = [];
    for (const [i, file] of files.entries()) {
      const query = new URLSearchParams({
        filename: file.filename,
        subfolder: file.subfolder,
        type: file.type,
      });
      const response = await this.request(`/view?${query}`);
      if (!response.ok) throw new Error(`ComfyUI answered HTTP ${response.status} for /view?${query}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      const path = join(task.outputDir, file.filename.replace(/[^\w.-]/g, '_'));
      await writeFile(path, bytes);
      out.push({
        path,
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        frame: task.request.frames.start + i,
      });
    }
    return out;
  }
}

const gpuSeconds = (watch: PromptWatch): Usage => ({
  unit: 'gpu-second',
  quantity: Math.round(watch.seconds(Date.now()) * 1000) / 1000,
});

function executionFailure(data: Record<string, unknown>, usage: Usage): Error {
  const message = describeExecutionError(data);
  return isOutOfMemory(data)
    ? new ProviderUnavailable(message, usage)
    : new ProviderRejectedTask(message, usage);
}

/** The error a history entry records, for a prompt whose end the WebSocket did not deliver. */
function failureIn(
  entry: HistoryEntry,
  promptId: string,
  aborted: boolean,
  taskId: string,
  usage: Usage,
): Error | undefined {
  const status = entry.status;
  if (status?.status_str !== 'error') return undefined;
  const error = status.messages.find(([type]) => type === 'execution_error')?.[1];
  if (error) return executionFailure(error, usage);
  if (aborted) return new GenerationCancelled(taskId, usage);
  return new ProviderUnavailable(`ComfyUI ended prompt ${promptId} with an error and no message`, usage);
}

/** The `/ws` connection of one task: reconnected with the same client id until closed. */
class ComfySocket {
  private ws?: WebSocket;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
    private readonly onMessage: (m: Message) => void,
    private readonly onReconnect: () => void,
    private readonly delayMs: number,
  ) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url, { headers: this.headers });
      ws.once('open', () => {
        this.ws = ws;
        resolve();
      });
      ws.on('error', (error) => {
        // Before `open` this fails the connection; after it, `close` follows and reconnects.
        reject(error);
        ws.terminate();
      });
      ws.on('message', (raw, isBinary) => {
        if (isBinary) return; // latent previews
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw.toString());
        } catch {
          return;
        }
        const message = Message.safeParse(parsed);
        if (message.success) this.onMessage(message.data);
      });
      ws.on('close', () => {
        if (this.closed || this.ws !== ws) return;
        this.ws = undefined;
        void this.reconnect();
      });
    });
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 1; !this.closed; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(5_000, this.delayMs * attempt)));
      if (this.closed) return;
      try {
        await this.open();
        if (this.closed) this.ws?.close();
        else this.onReconnect();
        return;
      } catch {
        // ComfyUI is still away; the settle loop decides when to give up.
      }
    }
  }

  close(): void {
    this.closed = true;
    this.ws?.close();
  }
}
