import type { ShotPartitions } from '@shotcaller/shots';
import { ShotNotFound } from '@shotcaller/shots';
import { type ArtifactStore, contentTypeOf, NotInStore, ObjectNotFound } from '@shotcaller/storage';
import { z } from 'zod';
import { canSeeShow } from '../auth';
import { NotFound } from '../errors';
import { type RouteSpec, route } from '../route-spec';

const Params = z.strictObject({ id: z.string().min(1) });
const OutputParams = Params.extend({ index: z.coerce.number().int().nonnegative() });

const Sha256 = z.string().regex(/^[a-f0-9]{64}$/);
const Location = {
  uri: z.string(),
  sha256: Sha256,
  /** Where to fetch it: a presigned URL of the store (no token needed, until `expiresAt`), or this API's path. */
  url: z.string(),
  expiresAt: z.string().optional(),
  /** The file on shared storage as each platform of the path mappings mounts it. */
  paths: z.array(z.string()).optional(),
};
export const ShotOutputs = z.object({
  outputs: z.array(
    z.object({ index: z.int(), frame: z.int().optional(), bytes: z.int().optional(), ...Location }),
  ),
  manifest: z.object(Location),
});

/**
 * AI output frames and provenance manifests, from the artifact store: only files a completion event
 * names, and only through the store's own keys, so an id can never reach another path. An S3 store
 * hands out presigned URLs, so the frames go to the dashboard straight from the bucket.
 */
export function shotFileRoutes(deps: { store: ShotPartitions; artifacts: ArtifactStore }): RouteSpec[] {
  const { artifacts } = deps;
  const completion = async (principal: Parameters<typeof canSeeShow>[0], id: string) => {
    const shot = await deps.store.get(id);
    if (!shot || !canSeeShow(principal, shot.show)) throw new ShotNotFound(id);
    const done = (await deps.store.history(id))
      .map((e) => e.event)
      .filter((e) => e.type === 'io.shotcaller.genai.task.completed.v1')
      .at(-1);
    if (done?.type !== 'io.shotcaller.genai.task.completed.v1')
      throw new NotFound(`Shot ${id} has no AI output (yet)`);
    return done.data;
  };
  const keyOf = (uri: string) => {
    try {
      return artifacts.keyOf(uri);
    } catch (error) {
      if (error instanceof NotInStore)
        throw new NotFound(`That file is not in this deployment's artifact store`);
      throw error;
    }
  };
  const locate = async (uri: string, sha256: string, apiPath: string) => {
    const key = keyOf(uri);
    const direct = await artifacts.downloadUrl(key);
    const paths = artifacts.paths(key);
    return {
      uri,
      sha256,
      url: direct?.url ?? apiPath,
      ...(direct ? { expiresAt: direct.expiresAt } : {}),
      ...(paths.length > 0 ? { paths } : {}),
    };
  };
  const send = async (uri: string, reply: Parameters<RouteSpec['handler']>[0]['reply']) => {
    const key = keyOf(uri);
    const stream = await artifacts.read(key).catch((error) => {
      if (error instanceof ObjectNotFound) throw new NotFound('The file is no longer in the artifact store');
      throw error;
    });
    reply.header('content-type', contentTypeOf(key)).header('cache-control', 'private, max-age=3600');
    return reply.send(stream);
  };
  return [
    route<unknown, unknown, z.infer<typeof Params>>({
      method: 'GET',
      url: '/v1/shots/:id/outputs',
      summary: 'Where to fetch each AI output frame of a shot and its manifest, with their hashes',
      tag: 'shots',
      permission: 'shots:read',
      params: Params,
      responses: { 200: { description: 'The outputs', schema: ShotOutputs } },
      handler: async ({ principal, params }) => {
        const done = await completion(principal, params.id);
        const base = `/v1/shots/${encodeURIComponent(params.id)}`;
        return {
          outputs: await Promise.all(
            done.outputs.map(async (o, index) => ({
              index,
              ...(o.frame === undefined ? {} : { frame: o.frame }),
              ...(o.bytes === undefined ? {} : { bytes: o.bytes }),
              ...(await locate(o.uri, o.sha256, `${base}/outputs/${index}`)),
            })),
          ),
          manifest: await locate(done.manifestUri, done.manifestSha256, `${base}/manifest`),
        };
      },
    }),
    route<unknown, unknown, z.infer<typeof OutputParams>>({
      method: 'GET',
      url: '/v1/shots/:id/outputs/:index',
      summary: 'One AI output frame of a shot, by its index; from an S3 store, a redirect to a presigned URL',
      tag: 'shots',
      permission: 'shots:read',
      params: OutputParams,
      responses: {
        200: { description: 'The frame', contentType: 'image/png' },
        302: { description: 'The frame is at a presigned URL of the store (Location)' },
      },
      handler: async ({ principal, params, reply }) => {
        const done = await completion(principal, params.id);
        const output = done.outputs[params.index];
        if (!output) throw new NotFound(`Shot ${params.id} has ${done.outputs.length} output(s)`);
        const direct = await artifacts.downloadUrl(keyOf(output.uri));
        if (direct) return reply.redirect(direct.url, 302);
        return send(output.uri, reply);
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
        return send(done.manifestUri, reply);
      },
    }),
  ];
}
