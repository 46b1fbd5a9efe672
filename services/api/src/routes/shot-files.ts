import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventLog } from '@shotcaller/events';
import type { ShotStore } from '@shotcaller/shots';
import { ShotNotFound } from '@shotcaller/shots';
import { z } from 'zod';
import { canSeeShow } from '../auth';
import { NotFound } from '../errors';
import { type RouteSpec, route } from '../route-spec';

const Params = z.strictObject({ id: z.string().min(1) });
const OutputParams = Params.extend({ index: z.coerce.number().int().nonnegative() });

/**
 * AI output frames and provenance manifests, served from the data directory: only files a completion
 * event names, and only inside the data directory, so an id can never reach another path.
 */
export function shotFileRoutes(deps: { store: ShotStore; log: EventLog; dataDir: string }): RouteSpec[] {
  const root = resolve(deps.dataDir);
  const completion = async (principal: Parameters<typeof canSeeShow>[0], id: string) => {
    const shot = await deps.store.get(id);
    if (!shot || !canSeeShow(principal, shot.show)) throw new ShotNotFound(id);
    const done = (await deps.log.bySubject(id))
      .map((e) => e.event)
      .filter((e) => e.type === 'io.shotcaller.genai.task.completed.v1')
      .at(-1);
    if (done?.type !== 'io.shotcaller.genai.task.completed.v1')
      throw new NotFound(`Shot ${id} has no AI output (yet)`);
    return done.data;
  };
  const send = async (uri: string, type: string, reply: Parameters<RouteSpec['handler']>[0]['reply']) => {
    const path = uri.startsWith('file:') ? fileURLToPath(uri) : uri;
    const rel = relative(root, resolve(path));
    if (rel.startsWith('..') || isAbsolute(rel)) throw new NotFound('That file is not in the data directory');
    await stat(path).catch(() => {
      throw new NotFound('The file is no longer in the data directory');
    });
    reply.header('content-type', type).header('cache-control', 'private, max-age=3600');
    return reply.send(createReadStream(path));
  };
  return [
    route<unknown, unknown, z.infer<typeof OutputParams>>({
      method: 'GET',
      url: '/v1/shots/:id/outputs/:index',
      summary: 'One AI output frame of a shot (PNG), by its index in the completion event',
      tag: 'shots',
      permission: 'shots:read',
      params: OutputParams,
      responses: { 200: { description: 'The frame', contentType: 'image/png' } },
      handler: async ({ principal, params, reply }) => {
        const done = await completion(principal, params.id);
        const output = done.outputs[params.index];
        if (!output) throw new NotFound(`Shot ${params.id} has ${done.outputs.length} output(s)`);
        return send(output.uri, 'image/png', reply);
      },
    }),
    route<unknown, unknown, z.infer<typeof Params>>({
      method: 'GET',
      url: '/v1/shots/:id/manifest',
      summary: 'The provenance manifest (C2PA-shaped JSON) of a shot’s AI output',
      tag: 'shots',
      permission: 'shots:read',
      params: Params,
      responses: { 200: { description: 'The manifest', contentType: 'application/json' } },
      handler: async ({ principal, params, reply }) => {
        const done = await completion(principal, params.id);
        return send(done.manifestUri, 'application/json', reply);
      },
    }),
  ];
}
