import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PNG } from 'pngjs';
import { type WebSocket, WebSocketServer } from 'ws';

export type Scenario = 'ok' | 'execution-error' | 'slow' | 'drop-socket' | 'node-errors';

interface HistoryEntry {
  prompt: unknown[];
  outputs: Record<string, { images: Array<{ filename: string; subfolder: string; type: string }> }>;
  status: { status_str: string; completed: boolean; messages: unknown[] };
}

/**
 * A local server that speaks ComfyUI's HTTP and WebSocket protocol with ComfyUI's own message shapes
 * (server.py and execution.py), for testing the adapter where ComfyUI itself cannot run.
 */
export class FakeComfyUi {
  scenario: Scenario = 'ok';
  readonly interrupts: unknown[] = [];
  readonly queueDeletes: unknown[] = [];
  readonly prompts: Array<{
    prompt: Record<string, { inputs: Record<string, unknown> }>;
    client_id: string;
  }> = [];
  connections = 0;
  private readonly sockets = new Map<string, WebSocket>();
  private readonly history = new Map<string, HistoryEntry>();
  private readonly files = new Map<string, Buffer>();
  private readonly interrupted = new Set<string>();
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.http(req, res));
    const wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/ws') return socket.destroy();
      wss.handleUpgrade(req, socket, head, (ws) => {
        const clientId = url.searchParams.get('clientId') ?? randomUUID();
        this.connections++;
        this.sockets.set(clientId, ws);
        ws.send(
          JSON.stringify({
            type: 'status',
            data: { status: { exec_info: { queue_remaining: 0 } }, sid: clientId },
          }),
        );
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const ws of this.sockets.values()) ws.terminate();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async http(
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    let body = '';
    for await (const chunk of req) body += chunk;
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    };
    if (req.method === 'POST' && url.pathname === '/prompt') {
      const request = JSON.parse(body);
      this.prompts.push(request);
      if (this.scenario === 'node-errors') {
        return json(400, {
          error: {
            type: 'prompt_outputs_failed_validation',
            message: 'Prompt outputs failed validation',
            details: '',
            extra_info: {},
          },
          node_errors: {
            '4': {
              errors: [
                {
                  type: 'value_not_in_list',
                  message: 'Value not in list',
                  details: "ckpt_name: 'studio-licensed-v1.safetensors' not in []",
                  extra_info: {},
                },
              ],
              dependent_outputs: ['9'],
              class_type: 'CheckpointLoaderSimple',
            },
          },
        });
      }
      const promptId = randomUUID();
      json(200, { prompt_id: promptId, number: this.prompts.length, node_errors: {} });
      void this.execute(promptId, request);
      return;
    }
    if (req.method === 'GET' && url.pathname.startsWith('/history/')) {
      const id = decodeURIComponent(url.pathname.slice('/history/'.length));
      const entry = this.history.get(id);
      return json(200, entry ? { [id]: entry } : {});
    }
    if (req.method === 'GET' && url.pathname === '/view') {
      const file = this.files.get(
        `${url.searchParams.get('type')}/${url.searchParams.get('subfolder')}/${url.searchParams.get('filename')}`,
      );
      if (!file) return json(404, {});
      return void res.writeHead(200, { 'content-type': 'image/png' }).end(file);
    }
    if (req.method === 'POST' && url.pathname === '/interrupt') {
      const request = body ? JSON.parse(body) : {};
      this.interrupts.push(request);
      if (request.prompt_id) this.interrupted.add(request.prompt_id);
      return void res.writeHead(200).end();
    }
    if (req.method === 'POST' && url.pathname === '/queue') {
      this.queueDeletes.push(JSON.parse(body));
      return void res.writeHead(200).end();
    }
    json(404, {});
  }

  private async execute(
    promptId: string,
    request: { prompt: Record<string, { inputs: Record<string, unknown> }>; client_id: string },
  ): Promise<void> {
    const send = (type: string, data: Record<string, unknown>) =>
      this.sockets.get(request.client_id)?.send(JSON.stringify({ type, data }));
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const frames = Number(request.prompt['5']?.inputs.batch_size ?? 1);
    const steps = this.scenario === 'slow' ? 200 : 6;
    await pause(5);
    send('execution_start', { prompt_id: promptId, timestamp: Date.now() });
    send('execution_cached', { nodes: ['4'], prompt_id: promptId, timestamp: Date.now() });
    send('executing', { node: '3', display_node: '3', prompt_id: promptId });
    for (let i = 1; i <= steps; i++) {
      if (this.interrupted.has(promptId)) {
        send('execution_interrupted', {
          prompt_id: promptId,
          node_id: '3',
          node_type: 'KSampler',
          executed: ['4'],
        });
        return;
      }
      send('progress', { value: i, max: steps, prompt_id: promptId, node: '3' });
      if (this.scenario === 'execution-error' && i === 2) {
        send('execution_error', {
          prompt_id: promptId,
          node_id: '3',
          node_type: 'KSampler',
          executed: ['4'],
          exception_message: 'mat1 and mat2 shapes cannot be multiplied (154x2048 and 768x320)',
          exception_type: 'RuntimeError',
          traceback: [],
          current_inputs: {},
          current_outputs: {},
        });
        this.history.set(promptId, {
          prompt: [],
          outputs: {},
          status: { status_str: 'error', completed: false, messages: [] },
        });
        return;
      }
      if (this.scenario === 'drop-socket' && i === 3) this.sockets.get(request.client_id)?.terminate();
      await pause(this.scenario === 'slow' ? 25 : 5);
    }
    const images = Array.from({ length: frames }, (_, i) => {
      const png = new PNG({ width: 16, height: 16 });
      png.data.fill(i * 10 + 1);
      const filename = `${String(request.prompt['9']?.inputs.filename_prefix)}_${String(i + 1).padStart(5, '0')}_.png`;
      this.files.set(`output//${filename}`, PNG.sync.write(png));
      return { filename, subfolder: '', type: 'output' };
    });
    this.history.set(promptId, {
      prompt: [],
      outputs: { '9': { images } },
      status: { status_str: 'success', completed: true, messages: [] },
    });
    send('executed', { node: '9', display_node: '9', output: { images }, prompt_id: promptId });
    send('execution_success', { prompt_id: promptId, timestamp: Date.now() });
    send('executing', { node: null, prompt_id: promptId });
  }
}
