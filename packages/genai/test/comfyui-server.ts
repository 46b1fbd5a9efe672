import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ObjectInfo, validateWorkflow } from '@shotcaller/genai';
import { PNG } from 'pngjs';
import { type WebSocket, WebSocketServer } from 'ws';
import { objectInfo } from './comfyui-nodes';

export type Scenario =
  | 'ok'
  | 'execution-error'
  | 'slow'
  | 'drop-socket'
  | 'drop-before-success'
  | 'node-errors'
  | 'out-of-memory-once';

type Workflow = Record<string, { class_type: string; inputs: Record<string, unknown> }>;
type Data = Record<string, unknown>;
interface Queued {
  number: number;
  promptId: string;
  prompt: Workflow;
  clientId?: string;
  outputs: string[];
}
interface HistoryEntry {
  prompt: unknown[];
  outputs: Record<string, Data>;
  status: { status_str: 'success' | 'error'; completed: boolean; messages: Array<[string, Data]> };
  meta: Record<string, Data>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A local server that speaks ComfyUI's HTTP and WebSocket protocol as ComfyUI's own server does
 * (server.py, execution.py, main.py's prompt_worker, comfy_execution/progress.py), for testing the
 * adapter where ComfyUI itself cannot run: one prompt runs at a time from a queue; a workflow is
 * validated against `/object_info` before it is queued; a run sends `execution_start`,
 * `execution_cached`, `progress_state` for every node that starts, moves and finishes, `executing`,
 * `progress` from the sampler only, `executed` from save nodes, then `execution_success` (or
 * `execution_error`, `execution_interrupted`); the history entry is written *after* that, following a
 * random delay, and only then comes `executing` with `node: null`.
 */
export class FakeComfyUi {
  scenario: Scenario = 'ok';
  /** The most ms between `execution_success` and the history entry (a random delay up to it). */
  historyDelayMs = 5;
  /** The old order, before ComfyUI 0.3.x wrote history after the message: entry first, then message. */
  historyBeforeSuccess = false;
  /** Run the whole prompt before answering `POST /prompt`, so every message precedes the id. */
  answerAfterRun = false;
  /** A header a proxy in front of ComfyUI demands, as [name, value]; anything else gets 401. */
  requiredHeader?: [string, string];
  models: string[] = ['studio-licensed-v1.safetensors'];
  /** What the save nodes write: PNG, or OpenEXR as a studio's EXR save node does. */
  outputFormat: 'png' | 'exr' = 'png';
  readonly interrupts: unknown[] = [];
  readonly queueDeletes: unknown[] = [];
  readonly prompts: Array<{ prompt: Workflow; client_id: string }> = [];
  /** Prompts that ran (to the end or not): the GPU work paid for. */
  executions = 0;
  connections = 0;
  private readonly sockets = new Map<string, WebSocket>();
  private readonly history = new Map<string, HistoryEntry>();
  private readonly files = new Map<string, Buffer>();
  private readonly queue: Queued[] = [];
  private running?: Queued;
  private lastNodeId?: string;
  private interruptFlag = false;
  private wakeWorker?: () => void;
  private stopped = false;
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.http(req, res));
    const wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/ws' || !this.authorised(req)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, url.searchParams.get('clientId')));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    void this.worker();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeWorker?.();
    for (const ws of this.sockets.values()) ws.terminate();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** server.py's websocket_handler: a status with the sid, and the running node to its client on reconnect. */
  private connected(ws: WebSocket, requested: string | null): void {
    const sid = requested || randomUUID().replace(/-/g, '');
    this.connections++;
    this.sockets.set(sid, ws);
    ws.on('close', () => {
      if (this.sockets.get(sid) === ws) this.sockets.delete(sid);
    });
    this.sendTo(sid, 'status', { status: this.queueInfo(), sid });
    if (this.running?.clientId === sid && this.lastNodeId !== undefined)
      this.sendTo(sid, 'executing', { node: this.lastNodeId });
  }

  /** `/object_info` as it stands: in the node-errors scenario no checkpoint is installed. */
  private catalogue(): Record<string, unknown> {
    return objectInfo(this.scenario === 'node-errors' ? [] : this.models);
  }

  private authorised(req: IncomingMessage): boolean {
    if (!this.requiredHeader) return true;
    const [name, value] = this.requiredHeader;
    return req.headers[name.toLowerCase()] === value;
  }

  private sendTo(sid: string | undefined, type: string, data: Data): void {
    const message = JSON.stringify({ type, data });
    if (sid === undefined) for (const ws of this.sockets.values()) ws.send(message);
    else this.sockets.get(sid)?.send(message);
  }

  private queueInfo() {
    return { exec_info: { queue_remaining: this.queue.length + (this.running ? 1 : 0) } };
  }

  private queueUpdated(): void {
    this.sendTo(undefined, 'status', { status: this.queueInfo() });
  }

  private async http(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    let body = '';
    for await (const chunk of req) body += chunk;
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    };
    if (!this.authorised(req)) return json(401, { error: 'missing or wrong token' });
    const path = url.pathname.replace(/^\/api(?=\/)/, '');
    if (req.method === 'POST' && path === '/prompt') return this.postPrompt(JSON.parse(body), json);
    if (req.method === 'GET' && path === '/object_info') return json(200, this.catalogue());
    if (req.method === 'GET' && path === '/system_stats')
      return json(200, { system: { comfyui_version: '0.3.64', os: 'linux' }, devices: [] });
    if (req.method === 'GET' && path.startsWith('/history/')) {
      const id = decodeURIComponent(path.slice('/history/'.length));
      const entry = this.history.get(id);
      return json(200, entry ? { [id]: entry } : {});
    }
    if (req.method === 'GET' && path === '/view') {
      const q = url.searchParams;
      const name = q.get('filename') ?? '';
      if (!name) return void res.writeHead(400).end();
      const file = this.files.get(`${q.get('type') ?? 'output'}/${q.get('subfolder') ?? ''}/${name}`);
      if (!file) return void res.writeHead(404).end();
      return void res
        .writeHead(200, { 'content-type': name.endsWith('.exr') ? 'image/x-exr' : 'image/png' })
        .end(file);
    }
    if (req.method === 'POST' && path === '/interrupt') {
      const request = body ? JSON.parse(body) : {};
      this.interrupts.push(request);
      // Only the prompt that runs is interrupted; one that waits or has finished is left alone.
      if (!request.prompt_id || this.running?.promptId === request.prompt_id) this.interruptFlag = true;
      return void res.writeHead(200).end();
    }
    if (req.method === 'POST' && path === '/queue') {
      const request = JSON.parse(body);
      this.queueDeletes.push(request);
      for (const id of request.delete ?? []) {
        const i = this.queue.findIndex((q) => q.promptId === id);
        if (i >= 0) this.queue.splice(i, 1);
      }
      this.queueUpdated();
      return void res.writeHead(200).end();
    }
    json(404, {});
  }

  /** server.py's post_prompt: validate, queue, answer `{prompt_id, number, node_errors}` or 400. */
  private async postPrompt(request: Data, json: (status: number, value: unknown) => void): Promise<void> {
    const prompt = request.prompt as Workflow | undefined;
    if (!prompt) {
      const error = {
        type: 'no_prompt',
        message: 'No prompt provided',
        details: 'No prompt provided',
        extra_info: {},
      };
      return json(400, { error, node_errors: {} });
    }
    this.prompts.push(request as never);
    const check = validateWorkflow(prompt, ObjectInfo.parse(this.catalogue()));
    if (check.error) return json(400, { error: check.error, node_errors: check.node_errors });
    const item: Queued = {
      number: this.prompts.length - 1,
      promptId: randomUUID(),
      prompt,
      outputs: check.outputs,
      ...(typeof request.client_id === 'string' ? { clientId: request.client_id } : {}),
    };
    this.queue.push(item);
    this.queueUpdated();
    this.wakeWorker?.();
    if (this.answerAfterRun) while (!this.history.has(item.promptId)) await pause(2);
    json(200, { prompt_id: item.promptId, number: item.number, node_errors: check.node_errors });
  }

  /** main.py's prompt_worker: one prompt at a time; history is written after the run's last message. */
  private async worker(): Promise<void> {
    while (!this.stopped) {
      const item = this.queue.shift();
      if (!item) {
        await new Promise<void>((r) => {
          this.wakeWorker = r;
        });
        continue;
      }
      this.running = item;
      this.interruptFlag = false;
      this.queueUpdated();
      const { success, messages, outputs } = await this.execute(item);
      const write = () => {
        this.history.set(item.promptId, {
          prompt: [item.number, item.promptId, item.prompt, { client_id: item.clientId }, item.outputs],
          outputs,
          status: { status_str: success ? 'success' : 'error', completed: success, messages },
          meta: {},
        });
        this.running = undefined;
        this.queueUpdated();
      };
      if (!this.historyBeforeSuccess) await pause(Math.random() * this.historyDelayMs);
      write();
      if (item.clientId) this.sendTo(item.clientId, 'executing', { node: null, prompt_id: item.promptId });
    }
  }

  /** execution.py's execute_async, for the nodes of the test catalogue. */
  private async execute(
    item: Queued,
  ): Promise<{ success: boolean; messages: Array<[string, Data]>; outputs: Record<string, Data> }> {
    this.executions++;
    const { promptId, prompt, clientId } = item;
    const messages: Array<[string, Data]> = [];
    const send = (type: string, data: Data) => {
      if (clientId) this.sendTo(clientId, type, data);
    };
    const add = (type: string, data: Data) => {
      const stamped = { ...data, timestamp: Date.now() };
      messages.push([type, stamped]);
      send(type, stamped);
    };
    const states: Record<string, Data> = {};
    const progressState = (id: string, state: string, value: number, max: number) => {
      states[id] = {
        value,
        max,
        state,
        node_id: id,
        prompt_id: promptId,
        display_node_id: id,
        parent_node_id: null,
        real_node_id: id,
      };
      send('progress_state', { prompt_id: promptId, nodes: { ...states } });
    };
    const outputs: Record<string, Data> = {};
    const executed: string[] = [];
    add('execution_start', { prompt_id: promptId });
    add('execution_cached', { nodes: [], prompt_id: promptId });
    await pause(1);
    for (const id of order(prompt, item.outputs)) {
      const node = prompt[id]!;
      const interrupted = () => {
        if (!this.interruptFlag) return false;
        add('execution_interrupted', {
          prompt_id: promptId,
          node_id: id,
          node_type: node.class_type,
          executed,
        });
        return true;
      };
      progressState(id, 'running', 0, 1);
      this.lastNodeId = id;
      send('executing', { node: id, display_node: id, prompt_id: promptId });
      if (node.class_type === 'KSampler') {
        const steps =
          this.scenario === 'slow' ? 200 : Number(node.inputs.steps ?? 6) > 6 ? 6 : Number(node.inputs.steps);
        for (let i = 1; i <= steps; i++) {
          if (interrupted()) return { success: false, messages, outputs };
          // main.py's hijack_progress: `progress` and, through the progress registry, `progress_state`.
          send('progress', { value: i, max: steps, prompt_id: promptId, node: id });
          progressState(id, 'running', i, steps);
          const failure =
            this.scenario === 'execution-error'
              ? ['RuntimeError', 'mat1 and mat2 shapes cannot be multiplied (154x2048 and 768x320)\n']
              : this.scenario === 'out-of-memory-once' && this.executions === 1
                ? [
                    'torch.OutOfMemoryError',
                    'Allocation on device \nThis error means you ran out of memory on your GPU.',
                  ]
                : undefined;
          if (failure && i === 2) {
            add('execution_error', {
              prompt_id: promptId,
              node_id: id,
              node_type: node.class_type,
              executed: [...executed],
              exception_message: failure[1],
              exception_type: failure[0],
              traceback: ['  File "execution.py", line 496, in execute\n'],
              current_inputs: {},
              current_outputs: [],
            });
            return { success: false, messages, outputs };
          }
          if (this.scenario === 'drop-socket' && i === 3 && clientId) this.sockets.get(clientId)?.terminate();
          await pause(this.scenario === 'slow' ? 25 : 2);
        }
      } else {
        if (interrupted()) return { success: false, messages, outputs };
        await pause(this.scenario === 'slow' ? 25 : 2);
      }
      if (node.class_type === 'SaveImage') {
        const images = this.save(prompt, String(node.inputs.filename_prefix ?? 'ComfyUI'));
        outputs[id] = { images };
        send('executed', { node: id, display_node: id, output: { images }, prompt_id: promptId });
      }
      executed.push(id);
      progressState(id, 'finished', states[id]!.max as number, states[id]!.max as number);
    }
    if (this.scenario === 'drop-before-success' && clientId) {
      this.sockets.get(clientId)?.terminate();
      await pause(5);
    }
    if (this.historyBeforeSuccess) {
      this.history.set(promptId, {
        prompt: [],
        outputs,
        status: { status_str: 'success', completed: true, messages },
        meta: {},
      });
    }
    add('execution_success', { prompt_id: promptId });
    return { success: true, messages, outputs };
  }

  private save(
    prompt: Workflow,
    prefix: string,
  ): Array<{ filename: string; subfolder: string; type: string }> {
    const batch = Object.values(prompt).find(
      (n) => n.class_type === 'EmptyLatentImage' || n.class_type === 'EmptyImage',
    );
    const frames = Number(batch?.inputs.batch_size ?? 1);
    return Array.from({ length: frames }, (_, i) => {
      const png = new PNG({ width: 16, height: 16 });
      png.data.fill(i * 10 + 1);
      const filename = `${prefix}_${String(this.files.size + 1).padStart(5, '0')}_.${this.outputFormat}`;
      // An EXR here is its magic number and version, then a body no test decodes.
      const exr = Buffer.concat([
        Buffer.from([0x76, 0x2f, 0x31, 0x01, 0x02, 0, 0, 0]),
        Buffer.alloc(1024, i + 1),
      ]);
      this.files.set(`output//${filename}`, this.outputFormat === 'exr' ? exr : PNG.sync.write(png));
      return { filename, subfolder: '', type: 'output' };
    });
  }
}

/** The nodes the outputs need, each after the nodes it takes input from. */
function order(prompt: Workflow, outputs: string[]): string[] {
  const out: string[] = [];
  const visit = (id: string) => {
    if (out.includes(id) || !prompt[id]) return;
    for (const v of Object.values(prompt[id]!.inputs))
      if (Array.isArray(v) && typeof v[0] === 'string') visit(v[0]);
    out.push(id);
  };
  for (const o of outputs) visit(o);
  return out;
}
