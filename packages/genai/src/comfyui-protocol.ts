import { z } from 'zod';

/*
 * ComfyUI's HTTP and WebSocket shapes, as its server writes them (server.py, execution.py, main.py,
 * comfy_execution/progress.py), and the pure readings the adapter makes of them.
 */

/** One validation error, as `validate_inputs` writes it: a stable `type`, a sentence, the detail. */
export const ComfyError = z
  .object({
    type: z.string().default(''),
    message: z.string(),
    details: z.string().default(''),
    extra_info: z.record(z.string(), z.unknown()).default({}),
  })
  .loose();
export type ComfyError = z.infer<typeof ComfyError>;

export const NodeErrors = z.record(
  z.string(),
  z
    .object({
      errors: z.array(ComfyError),
      dependent_outputs: z.array(z.string()).default([]),
      class_type: z.string().optional(),
    })
    .loose(),
);
export type NodeErrors = z.infer<typeof NodeErrors>;

/** `POST /prompt` answered 200: queued. `node_errors` is not empty when some outputs failed validation. */
export const PromptAccepted = z.object({
  prompt_id: z.string(),
  number: z.number().optional(),
  node_errors: NodeErrors.default({}),
});

/** `POST /prompt` answered 400: the workflow was refused before it ran. */
export const PromptRejected = z.object({ error: ComfyError, node_errors: NodeErrors.default({}) });
export type PromptRejected = z.infer<typeof PromptRejected>;

export const FileRef = z
  .object({ filename: z.string(), subfolder: z.string().default(''), type: z.string().default('output') })
  .loose();
export type FileRef = z.infer<typeof FileRef>;

/** A node's UI output: lists under keys such as `images`, `gifs`, `audio`, `text`. */
const NodeOutput = z.record(z.string(), z.unknown()).nullable();

/** `[event, data]` pairs the executor kept for the history entry (each data with a ms `timestamp`). */
const StatusMessage = z.tuple([z.string(), z.record(z.string(), z.unknown())]);

export const HistoryEntry = z
  .object({
    outputs: z.record(z.string(), NodeOutput).default({}),
    status: z
      .object({
        status_str: z.string().optional(),
        completed: z.boolean().optional(),
        messages: z.array(StatusMessage).default([]),
      })
      .loose()
      .nullable()
      .optional(),
  })
  .loose();
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** A WebSocket text frame: `{type, data}`. */
export const Message = z.object({ type: z.string(), data: z.record(z.string(), z.unknown()).default({}) });
export type Message = z.infer<typeof Message>;

/** One entry of `progress_state`'s `nodes`: only nodes that are running, finished or failed are sent. */
const NodeProgress = z
  .object({ value: z.number(), max: z.number(), state: z.string(), display_node_id: z.string().optional() })
  .loose();
export const ProgressState = z.object({
  prompt_id: z.string(),
  nodes: z.record(z.string(), NodeProgress),
});

/** The output files of a finished prompt, in node order: every `{filename, subfolder, type: output}`. */
export function outputFiles(outputs: Record<string, Record<string, unknown> | null>): FileRef[] {
  const ids = Object.keys(outputs).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const files: FileRef[] = [];
  for (const id of ids) {
    for (const value of Object.values(outputs[id] ?? {})) {
      if (!Array.isArray(value)) continue;
      for (const item of value) {
        const ref = FileRef.safeParse(item);
        if (ref.success && ref.data.type === 'output') files.push(ref.data);
      }
    }
  }
  return files;
}

type Prompt = Record<string, { class_type?: unknown }>;

const label = (prompt: Prompt, id: string, classType?: string) => {
  const type = classType ?? (typeof prompt[id]?.class_type === 'string' ? prompt[id]!.class_type : undefined);
  return `node ${id}${type ? ` (${String(type)})` : ''}`;
};

/**
 * The sentence a TD reads when ComfyUI refuses a workflow: the error, then each node by the id ComfyUI
 * gave it (the id in the workflow file) with its class and every reason.
 */
export function describeRefusal(refusal: PromptRejected, prompt: Prompt = {}): string {
  const { error, node_errors } = refusal;
  const nodes = Object.entries(node_errors).map(
    ([id, n]) =>
      `${label(prompt, id, n.class_type)}: ${n.errors.map((e) => `${e.message}${e.details ? ` — ${e.details}` : ''}`).join('; ')}`,
  );
  // Errors that are about one node but come without node_errors (an unknown class) name it in extra_info.
  const about = error.extra_info.node_id;
  const head =
    nodes.length === 0 && typeof about === 'string'
      ? `${label(prompt, about, typeof error.extra_info.class_type === 'string' ? error.extra_info.class_type : undefined)}: ${error.message}`
      : error.message;
  return `ComfyUI refused the workflow: ${head}${nodes.length ? `; ${nodes.join('; ')}` : ''}`;
}

/**
 * How far a prompt is, from the last `progress_state`: each node of the workflow weighs the same, a
 * finished one counts whole and a running one by its value/max. Nodes a subgraph added at run time
 * (ids not in the workflow) count towards the node that made them only through its own state.
 */
export function percentFromState(
  prompt: Prompt,
  nodes: z.infer<typeof ProgressState>['nodes'],
): { percent: number; message?: string } {
  const ids = Object.keys(prompt);
  if (ids.length === 0) return { percent: 0 };
  let done = 0;
  let running: string | undefined;
  for (const id of ids) {
    const n = nodes[id];
    if (!n) continue;
    if (n.state === 'finished') done += 1;
    else if (n.state === 'running') {
      done += n.max > 0 ? Math.min(1, Math.max(0, n.value / n.max)) : 0;
      running = `${label(prompt, id)} ${n.max > 1 ? `step ${n.value}/${n.max}` : 'running'}`;
    }
  }
  return { percent: Math.min(100, (done / ids.length) * 100), ...(running ? { message: running } : {}) };
}

const TERMINAL = ['execution_success', 'execution_error', 'execution_interrupted'];

/** Seconds of execution the server's own timestamps show (start to end), when it sent them. */
export function executionSeconds(
  messages: ReadonlyArray<readonly [string, Record<string, unknown>]>,
): number | undefined {
  const start = messages.find(([type]) => type === 'execution_start')?.[1].timestamp;
  const end = messages.find(([type]) => TERMINAL.includes(type))?.[1].timestamp;
  if (typeof start !== 'number' || typeof end !== 'number' || end < start) return undefined;
  return (end - start) / 1000;
}

/** An `execution_error`'s sentence: the node by its id and class, and ComfyUI's exception message. */
export function describeExecutionError(data: Record<string, unknown>): string {
  return `node ${String(data.node_id)} (${String(data.node_type)}) failed: ${String(data.exception_message).trim()}`;
}

/** Running out of GPU memory passes; any other exception in the workflow will happen again. */
export function isOutOfMemory(data: Record<string, unknown>): boolean {
  return /OutOfMemory|out of memory|Allocation on device/i.test(
    `${String(data.exception_type)} ${String(data.exception_message)}`,
  );
}
