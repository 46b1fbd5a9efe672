import type { Readable } from 'node:stream';
import {
  CredentialsReport,
  MAX_SIDECAR_BYTES,
  type SigningIdentity,
  sidecarName,
  type VerifyOptions,
  verifyCredentials,
  type X509Certificate,
} from '@shotcaller/provenance';
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
    z.object({
      index: z.int(),
      frame: z.int().optional(),
      bytes: z.int().optional(),
      ...Location,
      /** Where the output's Content Credentials are: in the file, or in a `.c2pa` sidecar (its location). */
      credentials: z
        .object({ binding: z.enum(['embedded', 'sidecar']), sidecar: z.object(Location).optional() })
        .optional(),
      /** Its credentials checked: `GET …/outputs/:index/credentials`. */
      credentialsUrl: z.string(),
    }),
  ),
  /** Only for work done before Content Credentials: the unsigned JSON manifest of the attempt. */
  manifest: z.object(Location).optional(),
});

/** Files bigger than this are not read into the api role to be verified (`shotcaller verify` reads any). */
export const MAX_API_VERIFY_BYTES = 256 * 1024 * 1024;

interface Output {
  uri: string;
  sha256: string;
  frame?: number;
  bytes?: number;
  credentials?: { binding: 'embedded' } | { binding: 'sidecar'; uri: string; sha256: string };
}

/**
 * A shot's delivered files and their Content Credentials, from the artifact store: only files an event
 * names, and only through the store's own keys, so an id can never reach another path. An S3 store
 * hands out presigned URLs, so the frames go to the dashboard straight from the bucket.
 */
export function shotFileRoutes(deps: {
  /** Every partition's shots: a shot's events are read from its partition. */
  store: ShotPartitions;
  artifacts: ArtifactStore;
  /** This deployment's signer and the configured trust anchors, for judging whom to believe. */
  credentials?: { identity?: SigningIdentity; trustAnchors?: readonly X509Certificate[] };
}): RouteSpec[] {
  const { artifacts } = deps;
  const events = async (principal: Parameters<typeof canSeeShow>[0], id: string) => {
    const shot = await deps.store.get(id);
    if (!shot || !canSeeShow(principal, shot.show)) throw new ShotNotFound(id);
    return (await deps.store.history(id)).map((e) => e.event);
  };
  /** The AI attempt that delivered last: v2 carries each output's credentials, v1 a JSON manifest. */
  const completion = async (principal: Parameters<typeof canSeeShow>[0], id: string) => {
    const done = (await events(principal, id))
      .filter(
        (e) =>
          e.type === 'io.shotcaller.genai.task.completed.v2' ||
          e.type === 'io.shotcaller.genai.task.completed.v1',
      )
      .at(-1);
    if (done?.type === 'io.shotcaller.genai.task.completed.v2')
      return { outputs: done.data.outputs as Output[], manifest: undefined };
    if (done?.type === 'io.shotcaller.genai.task.completed.v1')
      return {
        outputs: done.data.outputs as Output[],
        manifest: { uri: done.data.manifestUri, sha256: done.data.manifestSha256 },
      };
    throw new NotFound(`Shot ${id} has no AI output (yet)`);
  };
  /** What the shot delivered last, AI frames or a vendor's files, with what is known of their credentials. */
  const delivered = async (principal: Parameters<typeof canSeeShow>[0], id: string): Promise<Output[]> => {
    const all = await events(principal, id);
    const last = all.filter((e) => e.type === 'io.shotcaller.shot.delivered.v1').at(-1);
    if (last?.type !== 'io.shotcaller.shot.delivered.v1')
      throw new NotFound(`Shot ${id} has delivered nothing (yet)`);
    const signed = all
      .filter((e) => e.type === 'io.shotcaller.genai.task.completed.v2')
      .flatMap((e) => (e.type === 'io.shotcaller.genai.task.completed.v2' ? e.data.outputs : []));
    return last.data.outputs.map((o) => signed.find((s) => s.uri === o.uri) ?? o);
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
  /** A stored object's bytes, up to `max`; undefined when it is larger (or, with `optional`, not there). */
  const readAll = async (key: string, max: number, optional = false): Promise<Buffer | undefined> => {
    let stream: Readable;
    try {
      stream = await artifacts.read(key);
    } catch (error) {
      if (error instanceof ObjectNotFound) {
        if (optional) return undefined;
        throw new NotFound('The file is no longer in the artifact store');
      }
      throw error;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > max) {
        stream.destroy();
        return undefined;
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  };
  const verifyOptions: VerifyOptions = {
    ...(deps.credentials?.trustAnchors ? { trustAnchors: deps.credentials.trustAnchors } : {}),
    ...(deps.credentials?.identity
      ? {
          identity: {
            fingerprint: deps.credentials.identity.fingerprint,
            ...(deps.credentials.identity.developmentCa
              ? { developmentCa: deps.credentials.identity.developmentCa }
              : {}),
          },
        }
      : {}),
  };
  return [
    route({
      method: 'GET',
      url: '/v1/shots/:id/outputs',
      summary: 'Where to fetch each AI output frame of a shot and its Content Credentials, with their hashes',
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
              ...(o.credentials
                ? {
                    credentials:
                      o.credentials.binding === 'sidecar'
                        ? {
                            binding: 'sidecar' as const,
                            sidecar: await locate(
                              o.credentials.uri,
                              o.credentials.sha256,
                              `${base}/outputs/${index}/sidecar`,
                            ),
                          }
                        : { binding: 'embedded' as const },
                  }
                : {}),
              credentialsUrl: `${base}/outputs/${index}/credentials`,
            })),
          ),
          ...(done.manifest
            ? { manifest: await locate(done.manifest.uri, done.manifest.sha256, `${base}/manifest`) }
            : {}),
        };
      },
    }),
    route({
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
    route({
      method: 'GET',
      url: '/v1/shots/:id/outputs/:index/sidecar',
      summary: 'The `.c2pa` sidecar of an AI output whose format cannot carry its Content Credentials inside',
      tag: 'shots',
      permission: 'shots:read',
      params: OutputParams,
      responses: { 200: { description: 'The C2PA manifest store', contentType: 'application/c2pa' } },
      handler: async ({ principal, params, reply }) => {
        const done = await completion(principal, params.id);
        const output = done.outputs[params.index];
        if (!output) throw new NotFound(`Shot ${params.id} has ${done.outputs.length} output(s)`);
        if (output.credentials?.binding !== 'sidecar')
          throw new NotFound(
            `Output ${params.index} of shot ${params.id} carries its credentials inside, not in a sidecar`,
          );
        const bytes = await readAll(keyOf(output.credentials.uri), MAX_SIDECAR_BYTES);
        if (!bytes) throw new NotFound('The sidecar is larger than any Shotcaller writes');
        reply.header('content-type', 'application/c2pa').header('cache-control', 'private, max-age=3600');
        return reply.send(bytes);
      },
    }),
    route({
      method: 'GET',
      url: '/v1/shots/:id/outputs/:index/credentials',
      summary:
        'A delivered file’s Content Credentials, checked: valid or not and why, who signed, what made it with what, the consents it relied on',
      tag: 'shots',
      permission: 'shots:read',
      params: OutputParams,
      responses: { 200: { description: 'The verification report', schema: CredentialsReport } },
      handler: async ({ principal, params }) => {
        const outputs = await delivered(principal, params.id);
        const output = outputs[params.index];
        if (!output) throw new NotFound(`Shot ${params.id} delivered ${outputs.length} file(s)`);
        const key = keyOf(output.uri);
        const name = key.split('/').at(-1)!;
        const bytes = await readAll(key, MAX_API_VERIFY_BYTES);
        if (!bytes)
          return {
            file: name,
            format: contentTypeOf(name),
            binding: 'none',
            verdict: 'unreadable',
            summary: `${name}: larger than ${MAX_API_VERIFY_BYTES} bytes; verify it with \`shotcaller verify\``,
            problems: [{ code: 'file.tooLarge', explanation: 'too large to verify in the API' }],
            actions: [],
            aiGenerated: false,
            ingredients: [],
            trainingMining: {},
          } satisfies CredentialsReport;
        // A sidecar named by the completion, else the one C2PA tools look for beside the file.
        const sidecarKey =
          output.credentials?.binding === 'sidecar'
            ? keyOf(output.credentials.uri)
            : `${key.slice(0, key.length - name.length)}${sidecarName(name)}`;
        const sidecar = await readAll(sidecarKey, MAX_SIDECAR_BYTES, true);
        return verifyCredentials(
          {
            name,
            bytes,
            ...(sidecar ? { sidecar: { name: sidecarKey.split('/').at(-1)!, bytes: sidecar } } : {}),
          },
          verifyOptions,
        );
      },
    }),
    route({
      method: 'GET',
      url: '/v1/shots/:id/manifest',
      summary:
        'The unsigned JSON provenance manifest of AI work done before Content Credentials (newer outputs carry signed C2PA manifests)',
      tag: 'shots',
      permission: 'shots:read',
      params: Params,
      responses: { 200: { description: 'The manifest', contentType: 'application/json' } },
      handler: async ({ principal, params, reply }) => {
        const done = await completion(principal, params.id);
        if (!done.manifest)
          throw new NotFound(
            `Shot ${params.id}'s outputs carry signed Content Credentials: GET /v1/shots/${params.id}/outputs/{index}/credentials`,
          );
        return send(done.manifest.uri, reply);
      },
    }),
  ];
}
