import { once } from 'node:events';
import { type EventLog, type RawBufferEntry, type RedisClient, toStoredEvent } from '@shotcaller/events';
import type { ShotcallerConfig } from '@shotcaller/platform';
import { z } from 'zod';
import { canSeeShow } from '../auth';
import { Forbidden, RateLimited } from '../errors';
import { visibleOnFeed } from '../event-visibility';
import type { ApiMetrics } from '../metrics';
import { type RouteSpec, route } from '../route-spec';

const EventsQuery = z.strictObject({
  show: z.string().optional(),
  type: z.string().optional(),
  /** Resume after this stream entry id (the SSE `id:` of the last event seen); Last-Event-ID works too. */
  after: z
    .string()
    .regex(/^\d+-\d+$/, 'must be a stream entry id such as 1700000000000-0')
    .optional(),
});

type SseSettings = ShotcallerConfig['api']['sse'];

/** `GET /v1/events`: the event log as Server-Sent Events, filtered to what the caller may see. */
export function eventRoutes(deps: {
  redis: RedisClient;
  log: EventLog;
  sse: SseSettings;
  metrics: ApiMetrics;
}): RouteSpec[] {
  const { sse, metrics } = deps;
  // Streams each caller holds open on this replica; a per-replica cap, so no Redis round trip per event.
  const openStreams = new Map<string, number>();
  return [
    route({
      method: 'GET',
      url: '/v1/events',
      summary:
        'Live events as Server-Sent Events (filter by show and by type prefix, e.g. type=budget.,shot.held)',
      tag: 'events',
      permission: 'events:read',
      limit: 'events',
      query: EventsQuery,
      responses: {
        200: {
          description: 'An event stream; each event has the stream entry id as its SSE id',
          contentType: 'text/event-stream',
        },
      },
      handler: async ({ principal, query, request, reply }) => {
        if (query.show && !canSeeShow(principal, query.show))
          throw new Forbidden(`This token may not see show ${query.show}`);
        const held = openStreams.get(principal.id) ?? 0;
        if (held >= sse.maxPerCaller) {
          metrics.rateLimited.inc({ limit: 'streams' });
          throw new RateLimited(
            `This token already holds ${held} live event streams on this server (api.sse.maxPerCaller); close one`,
            Math.ceil(sse.heartbeatMs / 1000),
          );
        }
        const filter = {
          ...(query.show ? { show: query.show } : {}),
          types: (query.type ?? '')
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
        };
        const lastEventId = request.headers['last-event-id'];
        const resumeFrom =
          query.after ??
          (typeof lastEventId === 'string' && /^\d+-\d+$/.test(lastEventId) ? lastEventId : undefined);
        const reader = deps.redis.duplicate();
        reader.on('error', (error: Error) =>
          request.log.debug({ err: error.message }, 'live stream: Redis connection error (reconnecting)'),
        );
        let position = resumeFrom ?? (await lastEntryId(reader, deps.log.keys.stream));
        let open = true;
        // Live events (progress) never enter the log: they come by Pub/Sub, without an SSE id, since
        // there is nothing to resume them from. Subscribed before the headers go, so a client that has
        // them sees every live event from then on.
        const live = deps.redis.duplicate();
        live.on('error', (error: Error) =>
          request.log.debug({ err: error.message }, 'live stream: Redis Pub/Sub error (reconnecting)'),
        );
        live.on('message', (_channel: string, json: string) => {
          const event = JSON.parse(json) as { type: string; show?: string };
          if (visibleOnFeed(event, principal, filter)) send(`event: ${event.type}\ndata: ${json}\n\n`);
        });
        await live.subscribe(deps.log.keys.live);
        openStreams.set(principal.id, held + 1);
        metrics.sseStreams.inc();
        reply.hijack();
        const out = reply.raw;
        out.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        const close = () => {
          if (!open) return;
          open = false;
          reader.disconnect();
          live.disconnect();
          const left = (openStreams.get(principal.id) ?? 1) - 1;
          if (left > 0) openStreams.set(principal.id, left);
          else openStreams.delete(principal.id);
          metrics.sseStreams.dec();
        };
        // A client that stops reading would make the server buffer the log for it without end: drop it.
        const drop = (reason: 'stalled' | 'overflow') => {
          if (!open) return;
          metrics.sseDropped.inc({ reason });
          request.log.warn(
            { caller: principal.name, reason, buffered: out.writableLength, reqId: request.id },
            'live event stream dropped: the client is not reading',
          );
          close();
          // A reset frees the kernel's buffers at once instead of waiting on a peer that does not read.
          request.raw.socket.resetAndDestroy();
        };
        const send = (chunk: string) => {
          if (!open) return;
          out.write(chunk);
          if (out.writableLength > sse.maxBufferedBytes) drop('overflow');
        };
        /** Resolves once the client has taken what was sent, or drops it after `stallMs`. */
        const drained = async () => {
          if (!open || !out.writableNeedDrain) return;
          let timer: NodeJS.Timeout | undefined;
          const tookIt = await Promise.race([
            once(out, 'drain').then(() => true),
            new Promise<false>((resolve) => {
              timer = setTimeout(() => resolve(false), sse.stallMs);
            }),
          ]).catch(() => true);
          clearTimeout(timer);
          if (!tookIt) drop('stalled');
        };
        request.raw.on('close', close);
        send(': connected\n\n');
        const heartbeat = setInterval(() => {
          send(': heartbeat\n\n');
          void drained();
        }, sse.heartbeatMs);
        try {
          while (open) {
            // Buffer replies: stored events are compact (see compactJson) and expanded here.
            const reply = (await reader.xreadBuffer(
              'COUNT',
              200,
              'BLOCK',
              sse.heartbeatMs,
              'STREAMS',
              deps.log.keys.stream,
              position,
            )) as Array<[Buffer, RawBufferEntry[]]> | null;
            for (const raw of reply?.[0]?.[1] ?? []) {
              const { entryId, json } = toStoredEvent(raw);
              position = entryId;
              if (!json) continue;
              const event = JSON.parse(json) as { type: string; show?: string };
              if (!visibleOnFeed(event, principal, filter)) continue;
              send(`id: ${entryId}\nevent: ${event.type}\ndata: ${json}\n\n`);
            }
            await drained();
          }
        } catch (error) {
          if (open) throw error;
        } finally {
          clearInterval(heartbeat);
          close();
          out.end();
        }
      },
    }),
  ];
}

async function lastEntryId(redis: RedisClient, stream: string): Promise<string> {
  const [last] = (await redis.xrevrange(stream, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
  return last?.[0] ?? '0-0';
}
