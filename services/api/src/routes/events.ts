import type { EventLog } from '@shotcaller/events';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { canSeeShow } from '../auth';
import { Forbidden } from '../errors';
import { visibleOnFeed } from '../event-visibility';
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

const heartbeatMs = 15_000;

/** `GET /v1/events`: the event log as Server-Sent Events, filtered to what the caller may see. */
export function eventRoutes(deps: { redis: Redis; log: EventLog }): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/v1/events',
      summary:
        'Live events as Server-Sent Events (filter by show and by type prefix, e.g. type=budget.,shot.held)',
      tag: 'events',
      permission: 'events:read',
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
        reader.on('error', () => {});
        let position = resumeFrom ?? (await lastEntryId(reader, deps.log.keys.stream));
        let open = true;
        // Live events (progress) never enter the log: they come by Pub/Sub, without an SSE id, since
        // there is nothing to resume them from. Subscribed before the headers go, so a client that has
        // them sees every live event from then on.
        const live = deps.redis.duplicate();
        live.on('error', () => {});
        live.on('message', (_channel: string, json: string) => {
          const event = JSON.parse(json) as { type: string; show?: string };
          if (open && visibleOnFeed(event, principal, filter))
            out.write(`event: ${event.type}\ndata: ${json}\n\n`);
        });
        await live.subscribe(deps.log.keys.live);
        reply.hijack();
        const out = reply.raw;
        out.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        out.write(': connected\n\n');
        const close = () => {
          open = false;
          reader.disconnect();
          live.disconnect();
        };
        request.raw.on('close', close);
        const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), heartbeatMs);
        try {
          while (open) {
            const reply = (await reader.xread(
              'COUNT',
              200,
              'BLOCK',
              heartbeatMs,
              'STREAMS',
              deps.log.keys.stream,
              position,
            )) as Array<[string, Array<[string, string[]]>]> | null;
            for (const [entryId, fields] of reply?.[0]?.[1] ?? []) {
              position = entryId;
              const json = fields[fields.indexOf('event') + 1];
              if (!json) continue;
              const event = JSON.parse(json) as { type: string; show?: string };
              if (!visibleOnFeed(event, principal, filter)) continue;
              out.write(`id: ${entryId}\nevent: ${event.type}\ndata: ${json}\n\n`);
            }
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

async function lastEntryId(redis: Redis, stream: string): Promise<string> {
  const [last] = (await redis.xrevrange(stream, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
  return last?.[0] ?? '0-0';
}
