import type { Progress } from './adapter';
import {
  executionSeconds,
  type HistoryEntry,
  type Message,
  ProgressState,
  percentFromState,
} from './comfyui-protocol';

type Data = Record<string, unknown>;
export type Verdict =
  | { kind: 'success' }
  | { kind: 'error'; data: Data }
  | { kind: 'interrupted'; data: Data };

const VERDICTS: Record<string, Verdict['kind']> = {
  execution_success: 'success',
  execution_error: 'error',
  execution_interrupted: 'interrupted',
};

/**
 * What the WebSocket has said about one prompt. Messages can arrive before `POST /prompt` has
 * answered with the prompt's id (a cached workflow can finish first): those are kept and replayed
 * once the id is known. ComfyUI sends `execution_success` *before* it writes the history entry and
 * `executing` with `node: null` after, so the watch keeps both apart.
 */
export class PromptWatch {
  promptId?: string;
  /** The terminal message, if one came. */
  verdict?: Verdict;
  /** `executing` with `node: null` for this prompt: its history entry is written. */
  historyWritten = false;
  /** Each `executed` node's UI output, as a fallback for a history entry that never comes. */
  readonly outputs: Record<string, Data | null> = {};
  private readonly early: Message[] = [];
  private readonly timeline: Array<[string, Data]> = [];
  private startedAt?: number;
  private endedAt?: number;
  private sawProgressState = false;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly prompt: Record<string, { class_type?: unknown }>,
    private readonly onProgress: (p: Progress) => void,
  ) {}

  receive(message: Message, now: number): void {
    const id = message.data.prompt_id;
    // Messages with no prompt id (queue status, the node being run on reconnect) say nothing of ours.
    if (typeof id !== 'string') return;
    if (this.promptId === undefined) {
      if (this.early.length < 10_000) this.early.push(message);
      return;
    }
    if (id !== this.promptId) return;
    this.apply(message, now);
    this.wake();
  }

  /** The id `POST /prompt` answered: messages that came before it are applied now. */
  identify(promptId: string, now: number): void {
    this.promptId = promptId;
    for (const m of this.early.splice(0)) if (m.data.prompt_id === promptId) this.apply(m, now);
    this.wake();
  }

  /** Takes the server's timestamps from a history entry, for a run whose messages were missed. */
  absorb(entry: HistoryEntry): void {
    for (const [type, data] of entry.status?.messages ?? [])
      if (!this.timeline.some(([t]) => t === type)) this.timeline.push([type, data]);
  }

  /** Seconds the prompt ran: the server's timestamps when it sent them, else this side's clock. */
  seconds(now: number): number {
    const server = executionSeconds(this.timeline);
    if (server !== undefined) return server;
    if (this.startedAt === undefined) return 0;
    return ((this.endedAt ?? now) - this.startedAt) / 1000;
  }

  /** Resolves on the next message or wake-up, or after `ms`. */
  next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, ms));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private apply({ type, data }: Message, now: number): void {
    const verdict = VERDICTS[type];
    if (verdict) {
      this.timeline.push([type, data]);
      this.endedAt ??= now;
      this.verdict ??= verdict === 'success' ? { kind: 'success' } : { kind: verdict, data };
      return;
    }
    switch (type) {
      case 'execution_start':
        this.timeline.push([type, data]);
        this.startedAt ??= now;
        return;
      case 'executing':
        if (data.node === null) this.historyWritten = true;
        return;
      case 'executed':
        if (typeof data.node === 'string') this.outputs[data.node] = (data.output as Data | null) ?? null;
        return;
      case 'progress_state': {
        // Sent for every node that starts, moves or finishes: the only progress a workflow without a
        // sampler gives.
        const state = ProgressState.safeParse(data);
        if (!state.success) return;
        this.sawProgressState = true;
        this.onProgress(percentFromState(this.prompt, state.data.nodes));
        return;
      }
      case 'progress': {
        // Servers older than progress_state send only this, and only from nodes with a progress bar.
        if (this.sawProgressState) return;
        const { value, max, node } = data;
        if (typeof value !== 'number' || typeof max !== 'number' || max <= 0) return;
        this.onProgress({
          percent: Math.min(100, (value / max) * 100),
          message: `node ${String(node)} step ${value}/${max}`,
        });
        return;
      }
    }
  }
}
