import { createHash } from 'node:crypto';
import {
  EventEnvelope,
  type EventType,
  errorMessage,
  type ListShotsQuery,
  Problem,
  type Route,
  Shot,
  ShotListResponse,
  type ShotRequestInput,
  ShotView,
  SubmitBatchResponse,
} from '@shotcaller/contracts';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { z } from 'zod';
import { ApiError, ApiUnreachable } from './api-error';
import { pause, retryAfterMs } from './retry-after';

export interface ClientOptions {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  /**
   * A 429 (or a 503 with `Retry-After`) is tried again after the wait the server asks for, at most this
   * many times; then its problem is thrown as an {@link ApiError}. Default 3; 0 never waits.
   */
  maxRetries?: number;
  /** The longest wait honoured; a server asking for longer gets its error thrown at once. Default 60 s. */
  maxRetryWaitMs?: number;
  /** Told before each wait, so a program can say why it pauses. */
  onRateLimited?: (wait: RateLimitWait) => void;
}

/** One wait for a rate limit, as {@link ClientOptions.onRateLimited} hears of it. */
export interface RateLimitWait {
  method: string;
  path: string;
  status: number;
  retryAfterMs: number;
  /** 1 for the first wait of this call. */
  attempt: number;
}

/** A file a vendor delivers: its name and its bytes. */
export interface DeliveryFile {
  name: string;
  bytes: Uint8Array;
  contentType?: string;
}

const UploadTargets = z.object({
  uploads: z.array(
    z.object({
      uri: z.string(),
      sha256: z.string(),
      url: z.string(),
      method: z.literal('PUT'),
      headers: z.record(z.string(), z.string()),
    }),
  ),
});

export interface LiveEvent {
  /** The stream entry id; pass it as `after` to resume. Absent on live events (progress), which are not in the log. */
  id?: string;
  event: EventEnvelope & { type: EventType };
}

/** A typed client of the Shotcaller HTTP API; every response is validated before it is returned. */
export class ShotcallerClient {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? fetch;
  }

  /** Calls any route and parses the JSON reply with `schema`; throws {@link ApiError} on a problem. */
  async request<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<{ status: number; data: z.output<S> }> {
    const response = await this.send(method, path, body);
    const text = await response.text();
    if (!response.ok) throw this.problem(response.status, text);
    return { status: response.status, data: schema.parse(text ? JSON.parse(text) : undefined) };
  }

  /** Calls a route that answers with text (CSV, metrics). */
  async text(method: string, path: string): Promise<string> {
    const response = await this.send(method, path);
    const text = await response.text();
    if (!response.ok) throw this.problem(response.status, text);
    return text;
  }

  async submitShot(request: ShotRequestInput): Promise<{ shot: Shot; created: boolean }> {
    const { status, data } = await this.request('POST', '/v1/shots', Shot, request);
    return { shot: data, created: status === 201 };
  }

  async submitBatch(
    shots: readonly unknown[],
    options: { partial?: boolean } = {},
  ): Promise<SubmitBatchResponse> {
    return (
      await this.request('POST', '/v1/shots:batch', SubmitBatchResponse, {
        shots,
        partial: options.partial ?? false,
      })
    ).data;
  }

  async getShot(id: string): Promise<ShotView> {
    return (await this.request('GET', `/v1/shots/${encodeURIComponent(id)}`, ShotView)).data;
  }

  async listShots(query: z.input<typeof ListShotsQuery> = {}): Promise<ShotListResponse> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return (await this.request('GET', `/v1/shots${qs ? `?${qs}` : ''}`, ShotListResponse)).data;
  }

  /** Every shot matching `query`, page after page. */
  async *allShots(query: Omit<z.input<typeof ListShotsQuery>, 'cursor'> = {}): AsyncGenerator<Shot> {
    let cursor: number | undefined;
    do {
      const page = await this.listShots({ ...query, ...(cursor === undefined ? {} : { cursor }) });
      yield* page.shots;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }

  /** Replaces the request of a shot whose work has not started; its show and budget line stay. */
  async revise(id: string, request: ShotRequestInput): Promise<Shot> {
    return (await this.request('POST', `/v1/shots/${encodeURIComponent(id)}/revise`, Shot, request)).data;
  }

  async override(id: string, route: Route, reason: string): Promise<Shot> {
    return (
      await this.request('POST', `/v1/shots/${encodeURIComponent(id)}/override`, Shot, { route, reason })
    ).data;
  }

  async cancel(id: string, reason: string): Promise<Shot> {
    return (await this.request('POST', `/v1/shots/${encodeURIComponent(id)}/cancel`, Shot, { reason })).data;
  }

  async retry(id: string): Promise<Shot> {
    return (await this.request('POST', `/v1/shots/${encodeURIComponent(id)}/retry`, Shot, {})).data;
  }

  async approve(id: string, note = ''): Promise<Shot> {
    return (await this.request('POST', `/v1/shots/${encodeURIComponent(id)}/approve`, Shot, { note })).data;
  }

  async reject(id: string, note: string): Promise<Shot> {
    return (await this.request('POST', `/v1/shots/${encodeURIComponent(id)}/reject`, Shot, { note })).data;
  }

  /** Live events (Server-Sent Events) until `signal` aborts; `types` are prefixes such as `shot.` or `budget.`. */
  async *events(
    options: { show?: string; types?: string[]; after?: string; signal?: AbortSignal } = {},
  ): AsyncGenerator<LiveEvent> {
    const params = new URLSearchParams();
    if (options.show) params.set('show', options.show);
    if (options.types?.length) params.set('type', options.types.join(','));
    if (options.after) params.set('after', options.after);
    const qs = params.toString();
    const response = await this.send('GET', `/v1/events${qs ? `?${qs}` : ''}`, undefined, options.signal);
    if (!response.ok) throw this.problem(response.status, await response.text());
    if (!response.body) return;
    const stream = response.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream());
    try {
      for await (const message of stream) {
        const event = EventEnvelope.parse(JSON.parse(message.data)) as LiveEvent['event'];
        // Live events (progress) carry no id: they are not in the log and cannot be resumed from.
        yield message.id ? { id: message.id, event } : { event };
      }
    } catch (error) {
      if (options.signal?.aborted) return;
      throw error;
    }
  }

  /**
   * Uploads a delivery's files straight into Shotcaller's store, on the URLs the ticket hands out (each
   * takes only the bytes whose SHA-256 was declared for it); returns the files to deliver.
   */
  async uploadDelivery(
    ticketId: string,
    files: readonly DeliveryFile[],
  ): Promise<Array<{ uri: string; sha256: string }>> {
    const declared = files.map((f) => ({
      name: f.name,
      sha256: createHash('sha256').update(f.bytes).digest('hex'),
      ...(f.contentType ? { contentType: f.contentType } : {}),
    }));
    const { data } = await this.request('POST', `/v1/vendor/tickets/${ticketId}/uploads`, UploadTargets, {
      files: declared,
    });
    await Promise.all(
      data.uploads.map(async (target, i) => {
        const response = await this.fetch(target.url, {
          method: target.method,
          headers: target.headers,
          body: files[i]!.bytes,
        });
        const text = await response.text();
        if (response.ok) return;
        // An S3 store answers in XML: keep its code and message.
        const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
        if (!code) throw this.problem(response.status, text);
        const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? '';
        throw new ApiError(response.status, {
          type: 'about:blank',
          title: 'Upload refused',
          status: response.status,
          detail: `The store refused ${files[i]!.name}: ${code}${message ? ` (${message})` : ''}`,
          code: 'upload_refused',
        });
      }),
    );
    return data.uploads.map((u) => ({ uri: u.uri, sha256: u.sha256 }));
  }

  /** Uploads the files, then delivers them as the ticket's next version; returns the ticket. */
  async deliver(ticketId: string, files: readonly DeliveryFile[], note = ''): Promise<unknown> {
    const uploaded = await this.uploadDelivery(ticketId, files);
    const { data } = await this.request('POST', `/v1/vendor/tickets/${ticketId}/deliveries`, z.unknown(), {
      files: uploaded,
      note,
    });
    return data;
  }

  private async send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const maxRetries = this.options.maxRetries ?? 3;
    const maxWait = this.options.maxRetryWaitMs ?? 60_000;
    for (let attempt = 1; ; attempt += 1) {
      const response = await this.sendOnce(method, path, body, signal);
      if (response.status !== 429 && response.status !== 503) return response;
      const wait = retryAfterMs(response.headers.get('retry-after'));
      // A refused request did nothing, so trying it again is safe, writes included.
      if (wait === undefined || wait > maxWait || attempt > maxRetries) return response;
      await response.body?.cancel();
      this.options.onRateLimited?.({ method, path, status: response.status, retryAfterMs: wait, attempt });
      await pause(wait, signal);
    }
  }

  private async sendOnce(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Response> {
    try {
      return await this.fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.options.token}`,
          accept: 'application/json, application/problem+json, text/event-stream',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiUnreachable(
        this.baseUrl,
        error instanceof Error && error.cause ? String(error.cause) : errorMessage(error),
      );
    }
  }

  private problem(status: number, text: string): ApiError {
    let parsed: Problem | undefined;
    try {
      parsed = Problem.parse(JSON.parse(text));
    } catch {}
    return new ApiError(
      status,
      parsed ?? {
        type: 'about:blank',
        title: 'Error',
        status,
        detail: text.slice(0, 500) || `HTTP ${status}`,
        code: `http_${status}`,
      },
    );
  }
}
