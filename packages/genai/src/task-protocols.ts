import { UsageUnit } from '@shotcaller/contracts';
import { z } from 'zod';

/*
 * How one hosted API's create / poll / cancel / result calls map onto a generation task. The custom
 * protocol is configured field by field; the presets follow Replicate's predictions API and fal's
 * queue API as their documentation describes them.
 */

const common = {
  apiKey: z.string().min(1),
  pollIntervalMs: z.int().positive().default(2_000),
  /** Most 429 answers to wait out for one request before giving up (the worker then retries later). */
  maxRateLimitWaits: z.int().nonnegative().default(5),
};

export const CustomTaskConfig = z.strictObject({
  preset: z.literal('custom').default('custom'),
  ...common,
  baseUrl: z.url(),
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
  model: z.string().default('hosted'),
});

export const ReplicateConfig = z
  .strictObject({
    preset: z.literal('replicate'),
    ...common,
    baseUrl: z.url().default('https://api.replicate.com'),
    /** An official model, `owner/name` (runs its latest version)… */
    model: z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name')
      .optional(),
    /** …or one version of a model, by its id. */
    version: z.string().min(1).optional(),
    /** Where Replicate POSTs the finished prediction (signed; check it with verifyReplicateWebhook). */
    webhookUrl: z.url().optional(),
    /** The model's input, with the same `{{…}}` placeholders as a custom body. */
    input: z.record(z.string(), z.unknown()),
  })
  .refine((c) => Boolean(c.model) !== Boolean(c.version), 'name either model (owner/name) or version');

export const FalConfig = z.strictObject({
  preset: z.literal('fal'),
  ...common,
  baseUrl: z.url().default('https://queue.fal.run'),
  /** The model's endpoint id, e.g. `fal-ai/flux/dev` or `fal-ai/kling-video/v2/master/text-to-video`. */
  model: z.string().regex(/^[\w.-]+\/[\w./-]+$/, 'an endpoint id such as fal-ai/flux/dev'),
  /** Where fal POSTs the finished request (signed; check it with verifyFalWebhook). */
  webhookUrl: z.url().optional(),
  /** The model's input, with the same `{{…}}` placeholders as a custom body. */
  input: z.record(z.string(), z.unknown()),
});

/** Where a created task is polled, cancelled and (fal) read. */
export interface RemoteTask {
  id: string;
  poll: string;
  cancel: { method: string; url: string };
  result?: string;
}

export interface TaskState {
  state: 'running' | 'done' | 'failed' | 'cancelled';
  percent?: number;
  message?: string;
  error?: string;
  /** Whether a failure is the provider's passing trouble (retry) rather than the task's (permanent). */
  transient?: boolean;
  /** What the provider reports it used so far, in the protocol's unit. */
  usage?: number;
}

export interface TaskProtocol {
  readonly model: string;
  readonly usageUnit: z.infer<typeof UsageUnit>;
  /** The authorization header. */
  auth(): [string, string];
  /** A GET that costs nothing and needs the key: its answer says whether the key is taken. */
  probe(): string;
  create(body: unknown): { url: string; body: unknown };
  started(created: unknown): RemoteTask;
  read(status: unknown): TaskState;
  /** The output URLs in a finished task's status (or, with a `result` URL, in its result). */
  outputs(body: unknown): string[];
}

export const at = (value: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      value,
    );

/** Every http(s) URL in a value: a string, a list, or objects with `url` fields (fal's `images`, `video`). */
export function urlsIn(value: unknown): string[] {
  if (typeof value === 'string') return /^https?:\/\//.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(urlsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(urlsIn);
  return [];
}

/** The last percentage a tqdm progress bar printed in a model's logs (`  45%|████▌     | 9/20`). */
export function percentInLogs(logs: unknown): number | undefined {
  const text =
    typeof logs === 'string'
      ? logs
      : Array.isArray(logs)
        ? logs.map((l) => String(at(l, 'message') ?? l)).join('\n')
        : '';
  const all = [...text.matchAll(/(\d{1,3})%\|/g)];
  const last = all.at(-1)?.[1];
  return last === undefined ? undefined : Math.min(100, Number(last));
}

const strip = (u: string) => u.replace(/\/+$/, '');

export function customProtocol(c: z.output<typeof CustomTaskConfig>): TaskProtocol {
  const base = strip(c.baseUrl);
  const path = (p: string, id: string) => `${base}${p.replace('{id}', encodeURIComponent(id))}`;
  return {
    model: c.model,
    usageUnit: c.usageUnit,
    auth: () => [
      c.apiKeyHeader,
      c.apiKeyHeader.toLowerCase() === 'authorization' ? `Bearer ${c.apiKey}` : c.apiKey,
    ],
    // An unknown task's status: a provider that takes the key answers 404, one that does not 401/403.
    probe: () => path(c.statusPath, 'shotcaller-check'),
    create: (body) => ({ url: `${base}${c.createPath}`, body }),
    started: (created) => {
      const id = String(at(created, c.fields.id) ?? '');
      return { id, poll: path(c.statusPath, id), cancel: { method: 'POST', url: path(c.cancelPath, id) } };
    },
    read: (status) => {
      const state = String(at(status, c.fields.status) ?? '');
      const progress = c.fields.progress ? Number(at(status, c.fields.progress)) : Number.NaN;
      const usage = c.fields.usage ? Number(at(status, c.fields.usage) ?? 0) : undefined;
      const error = at(status, c.fields.error);
      return {
        state: c.statuses.done.includes(state)
          ? 'done'
          : c.statuses.failed.includes(state)
            ? 'failed'
            : c.statuses.cancelled.includes(state)
              ? 'cancelled'
              : 'running',
        ...(Number.isNaN(progress)
          ? {}
          : { percent: Math.max(0, Math.min(100, progress <= 1 ? progress * 100 : progress)) }),
        message: state,
        ...(error ? { error: typeof error === 'string' ? error : JSON.stringify(error) } : {}),
        ...(usage !== undefined && !Number.isNaN(usage) ? { usage } : {}),
      };
    },
    outputs: (status) => {
      const urls = at(status, c.fields.outputs);
      return Array.isArray(urls) ? urls.map(String) : [];
    },
  };
}

/**
 * Replicate's predictions API: `POST /v1/predictions` with a version (or `POST
 * /v1/models/{owner}/{name}/predictions` for an official model), then `urls.get` until the status is
 * `succeeded`, `failed`, `canceled` or `aborted`; `urls.cancel` to cancel. Progress is the model's
 * tqdm bar in `logs`; usage is `metrics.predict_time`, the GPU seconds Replicate bills, which failed
 * and cancelled predictions report too.
 */
export function replicateProtocol(c: z.output<typeof ReplicateConfig>): TaskProtocol {
  const base = strip(c.baseUrl);
  return {
    model: c.model ?? c.version!,
    usageUnit: 'gpu-second',
    auth: () => ['authorization', `Bearer ${c.apiKey}`],
    // The account the token belongs to, or the official model when one is named.
    probe: () => (c.model ? `${base}/v1/models/${c.model}` : `${base}/v1/account`),
    create: (input) => {
      const hook = c.webhookUrl ? { webhook: c.webhookUrl, webhook_events_filter: ['completed'] } : {};
      return c.version
        ? { url: `${base}/v1/predictions`, body: { version: c.version, input, ...hook } }
        : { url: `${base}/v1/models/${c.model}/predictions`, body: { input, ...hook } };
    },
    started: (created) => {
      const id = String(at(created, 'id') ?? '');
      return {
        id,
        poll: String(at(created, 'urls.get') ?? `${base}/v1/predictions/${id}`),
        cancel: {
          method: 'POST',
          url: String(at(created, 'urls.cancel') ?? `${base}/v1/predictions/${id}/cancel`),
        },
      };
    },
    read: (p) => {
      const status = String(at(p, 'status') ?? '');
      const predict = Number(at(p, 'metrics.predict_time'));
      const percent = percentInLogs(at(p, 'logs'));
      const error = at(p, 'error');
      return {
        state:
          status === 'succeeded'
            ? 'done'
            : status === 'failed' || status === 'aborted'
              ? 'failed'
              : status === 'canceled'
                ? 'cancelled'
                : 'running',
        message: status,
        // An aborted prediction never ran (its deadline passed first): trying again may work.
        ...(status === 'aborted'
          ? { transient: true, error: error ? String(error) : 'the prediction was aborted before it ran' }
          : {}),
        ...(status === 'failed' ? { error: error ? String(error) : 'no reason given' } : {}),
        ...(percent === undefined ? {} : { percent }),
        ...(Number.isNaN(predict) ? {} : { usage: predict }),
      };
    },
    outputs: (p) => urlsIn(at(p, 'output')),
  };
}

/**
 * fal's queue API: `POST {queue}/{endpoint id}` answers with `request_id`, `status_url`,
 * `response_url` and `cancel_url`; the status (`?logs=1`) goes `IN_QUEUE` → `IN_PROGRESS` →
 * `COMPLETED`, and the result is then read from `response_url` (an error there is the request's
 * failure); `PUT cancel_url` cancels. Usage is `metrics.inference_time`.
 */
export function falProtocol(c: z.output<typeof FalConfig>): TaskProtocol {
  const base = strip(c.baseUrl);
  return {
    model: c.model,
    usageUnit: 'gpu-second',
    auth: () => ['authorization', `Key ${c.apiKey}`],
    // The status of a request that does not exist: 404 with a good key, 401 with a bad one.
    probe: () =>
      `${base}/${c.model.split('/').slice(0, 2).join('/')}/requests/00000000-0000-0000-0000-000000000000/status`,
    create: (input) => ({
      url: `${base}/${c.model}${c.webhookUrl ? `?fal_webhook=${encodeURIComponent(c.webhookUrl)}` : ''}`,
      body: input,
    }),
    started: (created) => {
      const id = String(at(created, 'request_id') ?? '');
      const app = c.model.split('/').slice(0, 2).join('/');
      const requests = `${base}/${app}/requests/${id}`;
      const poll = String(at(created, 'status_url') ?? `${requests}/status`);
      return {
        id,
        poll: `${poll}${poll.includes('?') ? '&' : '?'}logs=1`,
        cancel: { method: 'PUT', url: String(at(created, 'cancel_url') ?? `${requests}/cancel`) },
        result: String(at(created, 'response_url') ?? requests),
      };
    },
    read: (s) => {
      const status = String(at(s, 'status') ?? '');
      const inference = Number(at(s, 'metrics.inference_time'));
      const percent = percentInLogs(at(s, 'logs'));
      const position = at(s, 'queue_position');
      const error = at(s, 'error');
      return {
        state: status === 'COMPLETED' ? (error ? 'failed' : 'done') : 'running',
        message:
          status === 'IN_QUEUE' && typeof position === 'number' ? `in queue, position ${position}` : status,
        ...(error ? { error: String(error) } : {}),
        ...(percent === undefined ? {} : { percent }),
        ...(Number.isNaN(inference) ? {} : { usage: inference }),
      };
    },
    outputs: urlsIn,
  };
}
