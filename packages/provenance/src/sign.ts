import { createHash } from 'node:crypto';
import { errorMessage } from '@shotcaller/contracts';
import { JPEG, PNG } from '@trustnxt/c2pa-ts/asset';
import { SigningFailed } from './errors';
import { embeds, formatOfName, sniffFormat } from './formats';
import { type AssetFacts, buildManifest } from './manifest';
import { useNodeHashing } from './node-crypto';
import type { SigningIdentity } from './signing-identity';

useNodeHashing();

export type SignedAsset =
  | { binding: 'embedded'; format: string; bytes: Buffer }
  /** The asset's bytes are untouched; `sidecar` is the `.c2pa` manifest store bound to them by hash. */
  | { binding: 'sidecar'; format: string; bytes: Buffer; sidecar: Buffer };

/**
 * Signs an asset: PNG and JPEG get the manifest embedded (the returned bytes are the file to publish),
 * anything else keeps its bytes and gets a `.c2pa` sidecar whose data hash covers the whole file. So
 * does a PNG or JPEG that already carries a manifest of its own: Shotcaller never replaces one.
 */
export async function signAsset(
  bytes: Buffer,
  facts: AssetFacts,
  identity: SigningIdentity,
): Promise<SignedAsset> {
  const format = sniffFormat(bytes);
  try {
    const asset = embeds(format) ? (format === 'image/png' ? new PNG(bytes) : new JPEG(bytes)) : undefined;
    // A file that already carries someone's manifest (a provider's own credentials) keeps it untouched:
    // Shotcaller's manifest goes beside it as a sidecar, bound to those exact bytes.
    if (asset && !asset.getManifestJUMBF()) {
      const { store, manifest, dataHash } = buildManifest(facts, format, identity);
      await asset.ensureManifestSpace(store.measureSize());
      await dataHash.updateWithAsset(asset);
      await manifest.sign(identity.signer);
      await asset.writeManifestJUMBF(store.getBytes());
      return { binding: 'embedded', format, bytes: Buffer.from(await asset.getDataRange()) };
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const sidecar = await signSidecar(
      sha256,
      format === 'application/octet-stream' ? formatOfName(facts.title) : format,
      facts,
      identity,
    );
    return { binding: 'sidecar', format, bytes, sidecar };
  } catch (error) {
    if (error instanceof SigningFailed) throw error;
    throw new SigningFailed(`${facts.title} could not be signed: ${errorMessage(error)}`);
  }
}

/**
 * A `.c2pa` sidecar for a file known by its SHA-256 alone (vendor deliveries: Shotcaller never changes
 * their bytes and need not read them again): a data hash with no exclusions is the file's SHA-256.
 */
export async function signSidecar(
  sha256: string,
  format: string,
  facts: AssetFacts,
  identity: SigningIdentity,
): Promise<Buffer> {
  const { store, manifest, dataHash } = buildManifest(facts, format, identity);
  dataHash.hash = new Uint8Array(Buffer.from(sha256, 'hex'));
  dataHash.exclusions = [];
  await manifest.sign(identity.signer);
  return Buffer.from(store.getBytes());
}
