import { once } from 'node:events';
import {
  compareStreamIds,
  decodeFeedCursor,
  encodeFeedCursor,
  eventLogKeys,
  type Partitions,
  type RawBufferEntry,
  type RedisClient,
  toStoredEvent,
} from '@shotcaller/events';
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
  /** Resume after this position (the SSE `id:` of the last event seen); Last-Event-ID works too. */
  after: z
    .string()
    .max(32 * 1024)
    .regex(/^\d+-\d+(_\d+-\d+)*$/, 'must be the id of an event received, such as 1700000000000-0')
    .optional(),
});

type SseSettings = ShotcallerConfig['api']['sse'];

/** `GET /v1/events`: the event log as Server-Sent Events, filtered to what the caller may see. */
export function eventRoutes(deps: {
  redis: RedisClient;
  partitions: Partitions;
  sse: SseSettings;
  metrics: ApiMetrics;
}): RouteSpec[] {
  const { sse, metrics, partitions } = deps;
  const streams = partitions.all.map((k) => eventLogKeys(partitions.keyspace(k)));
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
          (typeof lastEventId === 'string' && /^\d+-\d+(_\d+-\d+)*$/.test(lastEventId)
            ? lastEventId
            : undefined);
        // Only the partitions of shows the caller may see are read; the others keep their position.
        const readable = partitionsToRead(partitions, filter.show, principal.shows);
        const positions = resumeFrom
          ? decodeFeedCursor(resumeFrom, partitions.count)
          : await Promise.all(streams.map((keys) => lastEntryId(deps.redis, keys.stream)));
        const reader = deps.redis.duplicate();
        reader.on('error', (error: Error) =>
          request.log.debug({ err: error.message }, 'live stream: Redis connection error (reconnecting)'),
        );
        let open = true;
        // Live events (progress) never enter the log: they come by Pub/Sub, without an SSE id, since
        // there is nothing to resume them from. Subscribed before the headers go, so a client that has
        // them sees every live event from then on.
        const live = deps.redis.duplicate();
        live.on('error', (error: Error) =>
          request.log.debug({ err: error.message }, 'live stream: Redis Pub/Sub error (reconnecting)'),
        );
        // Live events that come before the headers have gone wait for them.
        let early: string[] | undefined = [];
        live.on('message', (_channel: string, json: string) => {
          const event = JSON.parse(json) as { type: string; show?: string };
          if (!visibleOnFeed(event, principal, filter)) return;
          const chunk = `event: ${event.type}\ndata: ${json}\n\n`;
          if (early) early.push(chunk);
          else send(chunk);
        });
        await live.subscribe(...readable.map((k) => streams[k]!.live));
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
        for (const chunk of early) send(chunk);
        early = undefined;
        const heartbeat = setInterval(() => {
          send(': heartbeat\n\n');
          void drained();
        }, sse.heartbeatMs);
        try {
          while (open) {
            const batch = await readFeed(reader, readable, streams, positions, sse.heartbeatMs);
            for (const { k, raw } of batch) {
              const { entryId, json } = toStoredEvent(raw);
              positions[k] = entryId;
              if (!json) continue;
              const event = JSON.parse(json) as { type: string; show?: string };
              if (!visibleOnFeed(event, principal, filter)) continue;
              send(`id: ${encodeFeedCursor(positions)}\nevent: ${event.type}\ndata: ${json}\n\n`);
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

/** The partitions holding the shows a feed may show: the filtered show's, the caller's shows', or all. */
function partitionsToRead(
  partitions: Partitions,
  show: string | undefined,
  visible: readonly string[] | '*',
): number[] {
  if (show) return [partitions.ofShow(show)];
  if (visible === '*' || visible.includes('*')) return partitions.all;
  return [...new Set(visible.map((s) => partitions.ofShow(s)))].sort((a, b) => a - b);
}

/** How long a feed over several partitions waits before asking them again when none had anything. */
const pollMs = 200;

/**
 * The next events after `positions` in the readable partitions' streams, oldest first by entry id. One
 * partition is read with a blocking XREAD; several are asked in turn and polled, since a blocking read of
 * several streams needs them in one slot, which partitions are not.
 */
async function readFeed(
  reader: RedisClient,
  readable: readonly number[],
  streams: ReadonlyArray<{ stream: string }>,
  positions: readonly string[],
  blockMs: number,
): Promise<Array<{ k: number; raw: RawBufferEntry }>> {
  // Buffer replies: stored events are compact (see compactJson) and expanded by the caller.
  const read = async (k: number, block: boolean) => {
    const { stream } = streams[k]!;
    const reply = (
      block
        ? await reader.xreadBuffer('COUNT', 200, 'BLOCK', blockMs, 'STREAMS', stream, positions[k]!)
        : await reader.xreadBuffer('COUNT', 200, 'STREAMS', stream, positions[k]!)
    ) as Array<[Buffer, RawBufferEntry[]]> | null;
    return (reply?.[0]?.[1] ?? []).map((raw) => ({ k, raw }));
  };
  if (readable.length === 1) return read(readable[0]!, true);
  const waitUntil = Date.now() + blockMs;
  for (;;) {
    const found = (await Promise.all(readable.map((k) => read(k, false)))).flat();
    if (found.length > 0 || Date.now() >= waitUntil)
      return found.sort((a, b) => compareStreamIds(String(a.raw[0]), String(b.raw[0])));
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
