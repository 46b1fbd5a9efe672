import { basename } from 'node:path';
import type { GeneratedFile } from '@shotcaller/genai';
import { type ArtifactStore, contentTypeOf, safeName } from '@shotcaller/storage';

const uploadsAtOnce = 4;

export interface PublishedOutput {
  uri: string;
  sha256: string;
  bytes: number;
  frame?: number;
}

/**
 * Puts an attempt's files from the worker's scratch space into the artifact store under `prefix`,
 * each checked against the SHA-256 the adapter computed, and returns them as events reference them
 * (in the adapter's order). Until every one is in, nothing names them: a worker killed half-way
 * leaves no output that looks delivered, and the task's next run writes the same keys again.
 */
export async function publishOutputs(
  store: ArtifactStore,
  prefix: string,
  files: ReadonlyArray<Pick<GeneratedFile, 'path' | 'sha256' | 'frame'>>,
  signal: AbortSignal,
): Promise<PublishedOutput[]> {
  const published = new Array<PublishedOutput>(files.length);
  let next = 0;
  const uploader = async () => {
    while (next < files.length) {
      const i = next++;
      const file = files[i]!;
      const stored = await store.put(
        `${prefix}/${safeName(basename(file.path))}`,
        { path: file.path },
        {
          sha256: file.sha256,
          contentType: contentTypeOf(file.path),
          signal,
        },
      );
      published[i] = {
        uri: stored.uri,
        sha256: stored.sha256,
        bytes: stored.bytes,
        ...(file.frame === undefined ? {} : { frame: file.frame }),
      };
    }
  };
  await Promise.all(Array.from({ length: Math.min(uploadsAtOnce, files.length) }, uploader));
  return published;
}
