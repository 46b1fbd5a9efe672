import type { CredentialedOutput } from '@shotcaller/contracts';
import { type ArtifactStore, contentTypeOf, safeName } from '@shotcaller/storage';
import type { SignedOutput } from './sign-outputs';

/** Outputs published at once: a sequence's frames are held in memory at most this many at a time. */
const uploadsAtOnce = 4;

/**
 * Puts a task's signed outputs into the artifact store under `prefix`, each checked against its SHA-256,
 * a sidecar before its frame (a frame in the store has its credentials beside it), and returns them in
 * the order signed. Until every one is in, nothing names them: a worker killed half-way leaves no output
 * that looks delivered, and the task's next run writes the same keys again.
 */
export async function publishOutputs(
  store: ArtifactStore,
  prefix: string,
  signed: AsyncIterable<SignedOutput>,
  signal: AbortSignal,
): Promise<CredentialedOutput[]> {
  const put = (name: string, bytes: Buffer, sha256: string) =>
    store.put(`${prefix}/${safeName(name)}`, { bytes }, { sha256, contentType: contentTypeOf(name), signal });
  const publishOne = async (output: SignedOutput): Promise<CredentialedOutput> => {
    const sidecar =
      output.sidecar && (await put(output.sidecar.name, output.sidecar.bytes, output.sidecar.sha256));
    const stored = await put(output.name, output.bytes, output.sha256);
    return {
      uri: stored.uri,
      sha256: stored.sha256,
      bytes: stored.bytes,
      ...(output.frame === undefined ? {} : { frame: output.frame }),
      credentials: sidecar
        ? { binding: 'sidecar', uri: sidecar.uri, sha256: sidecar.sha256 }
        : { binding: 'embedded' },
    };
  };
  const published: CredentialedOutput[] = [];
  let batch: SignedOutput[] = [];
  const flush = async () => {
    published.push(...(await Promise.all(batch.map(publishOne))));
    batch = [];
  };
  for await (const output of signed) {
    batch.push(output);
    if (batch.length === uploadsAtOnce) await flush();
  }
  await flush();
  return published;
}
