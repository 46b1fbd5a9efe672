import { createHash } from 'node:crypto';
import { Crypto, type CryptoProvider, type HashAlgorithm } from '@trustnxt/c2pa-ts/crypto';

const nodeNames: Record<HashAlgorithm, string> = {
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/**
 * c2pa-ts hashes through WebCrypto: every assertion, the claim and the asset each cost a job handed to
 * the thread pool and a promise, and a whole copy of the data for a streaming digest. Signing a frame
 * makes about ten such digests of a few hundred bytes, where node's hashing does each in a microsecond
 * on the spot. The same digests, so what is signed and what verifies does not change; signatures and
 * their verification stay with WebCrypto.
 */
function nodeHashing(web: CryptoProvider): CryptoProvider {
  return {
    async digest(data, algorithm) {
      return new Uint8Array(createHash(nodeNames[algorithm]).update(data).digest());
    },
    streamingDigest(algorithm) {
      const hash = createHash(nodeNames[algorithm]);
      return {
        update(data) {
          hash.update(data);
        },
        async final() {
          return new Uint8Array(hash.digest());
        },
      };
    },
    verifySignature: (payload, signature, publicKey, algorithm) =>
      web.verifySignature(payload, signature, publicKey, algorithm),
    sign: (payload, privateKey, algorithm) => web.sign(payload, privateKey, algorithm),
    getRandomValues: (count) => web.getRandomValues(count),
  };
}

let installed = false;

/** Has c2pa-ts hash with node's crypto (see nodeHashing); once per process, before signing or verifying. */
export function useNodeHashing(): void {
  if (installed) return;
  Crypto.provider = nodeHashing(Crypto.provider);
  installed = true;
}
