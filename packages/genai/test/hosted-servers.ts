import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

type Json = Record<string, unknown>;
export interface Seen {
  method: string;
  path: string;
  auth?: string;
  body?: Json;
  at: number;
}

/** The shared plumbing of the two local provider servers: a port, a request log, JSON answers, output files. */
abstract class LocalProvider {
  url = '';
  readonly requests: Seen[] = [];
  private server!: Server;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.receive(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += chunk;
    const url = new URL(req.url ?? '/', 'http://x');
    const seen: Seen = { method: req.method!, path: `${url.pathname}${url.search}`, at: Date.now() };
    if (req.headers.authorization) seen.auth = req.headers.authorization;
    if (text) seen.body = JSON.parse(text);
    this.requests.push(seen);
    // Outputs are served from file URLs that need no key, as both providers' CDNs do.
    if (url.pathname.startsWith('/files/'))
      return void res
        .writeHead(200, { 'content-type': 'video/mp4' })
        .end(Buffer.from(`frames of ${url.pathname}`));
    this.handle(
      req.method!,
      url,
      seen.body ?? {},
      req.headers.authorization,
      (status, body, headers = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      },
    );
  }

  protected abstract handle(
    method: string,
    url: URL,
    body: Json,
    auth: string | undefined,
    answer: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): unknown;

  /** POSTs a webhook as the provider does; the receiver's answer does not matter here. */
  protected async deliver(to: string, body: string, headers: Record<string, string>): Promise<void> {
    await fetch(to, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    }).catch(() => undefined);
  }
}

/**
 * Replicate's HTTP API as its reference documents it: bearer tokens; `POST /v1/predictions` (with a
 * version) and `POST /v1/models/{owner}/{name}/predictions` answering 201 with a prediction; `GET
 * urls.get` moving `starting` → `processing` (tqdm progress in `logs`) → `succeeded` | `failed` |
 * `canceled`, with `metrics.predict_time`; `POST urls.cancel`; `GET /v1/account`, `GET
 * /v1/models/{owner}/{name}`, `GET /v1/webhooks/default/secret`; errors as RFC 9457 problem documents;
 * 429 `{"detail":"Request was throttled. Your rate limit resets in ~Ns."}`; webhooks signed the
 * Standard Webhooks way with the account's `whsec_` secret.
 */
export class FakeReplicate extends LocalProvider {
  token = 'r8_studio_token';
  readonly webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
  readonly models: Record<string, string> = {
    'studio/dust-wave': 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  };
  /** How the next predictions end. */
  outcome: 'succeeded' | 'failed' = 'succeeded';
  /** Throttle this many create calls first. */
  throttleCreates = 0;
  private readonly predictions = new Map<string, Json & { polls: number }>();

  protected handle(
    method: string,
    url: URL,
    body: Json,
    auth: string | undefined,
    answer: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): unknown {
    const problem = (status: number, title: string, detail: string, extra: Json = {}) =>
      answer(status, { title, detail, status, ...extra }, { 'content-type': 'application/problem+json' });
    if (auth !== `Bearer ${this.token}` && auth !== `Token ${this.token}`)
      return problem(401, 'Unauthenticated', 'You did not pass a valid authentication token');
    const path = url.pathname;
    if (method === 'GET' && path === '/v1/account')
      return answer(200, { type: 'organization', username: 'studio', name: 'Studio', github_url: null });
    if (method === 'GET' && path === '/v1/webhooks/default/secret')
      return answer(200, { key: this.webhookSecret });
    const model = /^\/v1\/models\/([\w.-]+\/[\w.-]+)(\/predictions)?$/.exec(path);
    if (model && method === 'GET' && !model[2]) {
      const version = this.models[model[1]!];
      if (!version) return problem(404, 'Not found', 'The requested resource could not be found.');
      const [owner, name] = model[1]!.split('/');
      return answer(200, {
        url: `${this.url}/${model[1]}`,
        owner,
        name,
        visibility: 'private',
        latest_version: { id: version },
      });
    }
    if (method === 'POST' && (path === '/v1/predictions' || model?.[2])) {
      if (this.throttleCreates > 0) {
        this.throttleCreates--;
        return answer(429, { detail: 'Request was throttled. Your rate limit resets in ~1s.' });
      }
      const version = model ? this.models[model[1]!] : String(body.version ?? '');
      if (!version || !Object.values(this.models).includes(version))
        return model
          ? problem(404, 'Not found', 'The requested resource could not be found.')
          : problem(
              422,
              'Invalid version or not permitted',
              "The specified version does not exist (or perhaps you don't have permission to use it?)",
            );
      const input = (body.input ?? {}) as Json;
      if (typeof input.prompt !== 'string' || !input.prompt)
        return problem(422, 'Input validation failed', '- input.prompt: prompt is required', {
          invalid_fields: [{ type: 'required', field: 'input.prompt', description: 'prompt is required' }],
        });
      const id = randomBytes(13).toString('hex').slice(0, 26);
      const prediction = {
        id,
        model: model?.[1] ?? 'studio/dust-wave',
        version,
        input,
        logs: '',
        output: null,
        data_removed: false,
        error: null,
        status: 'starting',
        created_at: new Date().toISOString(),
        urls: {
          cancel: `${this.url}/v1/predictions/${id}/cancel`,
          get: `${this.url}/v1/predictions/${id}`,
          stream: `${this.url}/v1/stream/${id}`,
          web: `${this.url}/p/${id}`,
        },
        ...(body.webhook ? { webhook: body.webhook, webhook_events_filter: body.webhook_events_filter } : {}),
        polls: 0,
      };
      this.predictions.set(id, prediction);
      return answer(201, view(prediction));
    }
    const one = /^\/v1\/predictions\/(\w+)(\/cancel)?$/.exec(path);
    const p = one ? this.predictions.get(one[1]!) : undefined;
    if (!p) return problem(404, 'Not found', 'The requested resource could not be found.');
    if (method === 'POST' && one?.[2]) {
      if (!['succeeded', 'failed', 'canceled'].includes(String(p.status)))
        this.finish(p, { status: 'canceled', metrics: { predict_time: 0.8 } });
      return answer(200, view(p));
    }
    if (method === 'GET' && !one?.[2]) {
      p.polls++;
      if (p.polls === 1) Object.assign(p, { status: 'processing', started_at: new Date().toISOString() });
      if (p.polls >= 1 && p.status === 'processing')
        p.logs = `Using seed: ${String((p.input as Json).seed)}\n${['  0%|          | 0/20', ' 35%|███▌      | 7/20', ' 70%|███████   | 14/20'].slice(0, p.polls + 1).join('\r')}`;
      if (p.polls >= 3 && p.status === 'processing')
        this.finish(
          p,
          this.outcome === 'succeeded'
            ? {
                status: 'succeeded',
                output: [`${this.url}/files/${p.id}/out-0.mp4`, `${this.url}/files/${p.id}/out-1.mp4`],
                metrics: { predict_time: 12.5, total_time: 13.1 },
              }
            : {
                status: 'failed',
                error: 'NSFW content detected. Try running it again, or try a different prompt.',
                metrics: { predict_time: 4.2, total_time: 4.9 },
              },
        );
      return answer(200, view(p));
    }
    problem(404, 'Not found', 'The requested resource could not be found.');
  }

  private finish(p: Json, end: Json): void {
    Object.assign(p, end, { completed_at: new Date().toISOString() });
    if (typeof p.webhook !== 'string') return;
    const body = JSON.stringify(view(p as Json & { polls: number }));
    const id = `msg_${randomUUID()}`;
    const now = new Date();
    const signature = new Webhook(this.webhookSecret).sign(id, now, body);
    void this.deliver(p.webhook, body, {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    });
  }
}

const view = ({ polls: _, webhook: __, webhook_events_filter: ___, ...p }: Json & { polls: number }) => p;

/**
 * fal's queue API as its documentation describes it: `Authorization: Key …`; `POST /{endpoint id}`
 * (with `?fal_webhook=`) answering `request_id`, `response_url`, `status_url`, `cancel_url`,
 * `queue_position`; `GET …/requests/{id}/status?logs=1` answering 202 `IN_QUEUE` (with its position)
 * and `IN_PROGRESS` (with logs), then 200 `COMPLETED` with `metrics.inference_time`; `GET
 * …/requests/{id}` the result, or the model's error (422 `{"detail":[{loc,msg,type}]}`); `PUT
 * …/cancel` 202 `CANCELLATION_REQUESTED` or 400 `ALREADY_COMPLETED`; webhooks `{request_id,
 * gateway_request_id, status: OK | ERROR, payload, error}` signed with ED25519 over `request id \n user
 * id \n timestamp \n sha256(body)`, the keys at `/.well-known/jwks.json`.
 */
export class FakeFal extends LocalProvider {
  key = 'a1b2c3d4-key:5e6f7a8b9c0d';
  readonly userId = 'studio-user';
  outcome: 'ok' | 'invalid-input' = 'ok';
  throttleCreates = 0;
  private readonly keys = generateKeyPairSync('ed25519');
  private readonly queued = new Map<
    string,
    { app: string; input: Json; polls: number; webhook?: string; cancelled?: boolean }
  >();

  get jwks() {
    return {
      keys: [
        { ...this.keys.publicKey.export({ format: 'jwk' }), kid: 'fal-test-1', use: 'sig', alg: 'EdDSA' },
      ],
    };
  }

  protected handle(
    method: string,
    url: URL,
    body: Json,
    auth: string | undefined,
    answer: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): unknown {
    const path = url.pathname;
    if (method === 'GET' && path === '/.well-known/jwks.json') return answer(200, this.jwks);
    if (auth !== `Key ${this.key}`) return answer(401, { detail: 'Invalid Key or Key not provided.' });
    const request = /^\/([\w.-]+\/[\w.-]+)\/requests\/([\w-]+)(\/status|\/cancel)?$/.exec(path);
    if (!request && method === 'POST') {
      if (this.throttleCreates > 0) {
        this.throttleCreates--;
        return answer(429, { detail: 'Too many concurrent requests' }, { 'retry-after': '1' });
      }
      const app = path.slice(1).split('/').slice(0, 2).join('/');
      const id = randomUUID();
      const webhook = url.searchParams.get('fal_webhook') ?? undefined;
      this.queued.set(id, { app, input: body, polls: 0, ...(webhook ? { webhook } : {}) });
      const requests = `${this.url}/${app}/requests/${id}`;
      return answer(200, {
        request_id: id,
        response_url: requests,
        status_url: `${requests}/status`,
        cancel_url: `${requests}/cancel`,
        queue_position: 0,
      });
    }
    const r = request ? this.queued.get(request[2]!) : undefined;
    if (!r || r.app !== request?.[1]) return answer(404, { detail: 'Request not found' });
    const response_url = `${this.url}/${r.app}/requests/${request[2]}`;
    const done = r.polls >= 3 || r.cancelled;
    if (request[3] === '/cancel' && method === 'PUT') {
      if (done) return answer(400, { status: 'ALREADY_COMPLETED' });
      r.cancelled = true;
      return answer(202, { status: 'CANCELLATION_REQUESTED' });
    }
    if (request[3] === '/status' && method === 'GET') {
      r.polls++;
      const logs =
        url.searchParams.get('logs') === '1'
          ? [
              {
                message: ` ${Math.min(100, r.polls * 40)}%|████      | ${r.polls * 8}/20`,
                level: 'INFO',
                source: 'user',
                timestamp: new Date().toISOString(),
              },
            ]
          : null;
      if (r.polls === 1) return answer(202, { status: 'IN_QUEUE', queue_position: 1, response_url });
      if (r.polls === 2) return answer(202, { status: 'IN_PROGRESS', logs, response_url });
      if (r.polls === 3) this.complete(request[2]!, r);
      return answer(200, { status: 'COMPLETED', logs, metrics: { inference_time: 3.25 }, response_url });
    }
    if (!request[3] && method === 'GET') {
      if (!done) return answer(400, { detail: 'Request is still in progress' });
      const [status, result] = this.result(request[2]!, r);
      return answer(status, result);
    }
    answer(405, { detail: 'Method Not Allowed' });
  }

  private result(id: string, r: { input: Json; cancelled?: boolean }): [number, Json] {
    if (r.cancelled) return [400, { detail: 'Request was cancelled' }];
    if (this.outcome === 'invalid-input' || typeof r.input.prompt !== 'string')
      return [422, { detail: [{ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' }] }];
    return [
      200,
      {
        video: {
          url: `${this.url}/files/${id}/output.mp4`,
          content_type: 'video/mp4',
          file_name: 'output.mp4',
          file_size: 1024,
        },
        seed: r.input.seed,
      },
    ];
  }

  private complete(id: string, r: { input: Json; webhook?: string; cancelled?: boolean }): void {
    if (!r.webhook) return;
    const [status, result] = this.result(id, r);
    const body = JSON.stringify(
      status === 200
        ? { request_id: id, gateway_request_id: id, status: 'OK', payload: result }
        : {
            request_id: id,
            gateway_request_id: id,
            status: 'ERROR',
            error: `Invalid status code: ${status}`,
            payload: result,
          },
    );
    const timestamp = String(Math.floor(Date.now() / 1000));
    const message = [id, this.userId, timestamp, createHash('sha256').update(body).digest('hex')].join('\n');
    void this.deliver(r.webhook, body, {
      'x-fal-webhook-request-id': id,
      'x-fal-webhook-user-id': this.userId,
      'x-fal-webhook-timestamp': timestamp,
      'x-fal-webhook-signature': sign(null, Buffer.from(message), this.keys.privateKey).toString('hex'),
    });
  }
}
