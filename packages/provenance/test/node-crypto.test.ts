import { webcrypto } from 'node:crypto';
import { Crypto, type HashAlgorithm } from '@trustnxt/c2pa-ts/crypto';
import { describe, expect, it } from 'vitest';
import { useNodeHashing } from '../src/node-crypto';

describe('c2pa-ts hashing with node crypto', () => {
  useNodeHashing();
  const data = new TextEncoder().encode('c2pa.assertions/c2pa.hash.data and some bytes of a frame');

  it.each<HashAlgorithm>(['SHA-256', 'SHA-384', 'SHA-512'])(
    'gives WebCrypto’s %s digest, whole and streamed',
    async (algorithm) => {
      const web = new Uint8Array(await webcrypto.subtle.digest(algorithm, data));
      expect(await Crypto.digest(data, algorithm)).toEqual(web);
      const streamed = Crypto.streamingDigest(algorithm);
      streamed.update(data.subarray(0, 7));
      streamed.update(data.subarray(7));
      expect(await streamed.final()).toEqual(web);
    },
  );

  it('is installed once, however often it is asked for', () => {
    const provider = Crypto.provider;
    useNodeHashing();
    expect(Crypto.provider).toBe(provider);
  });
});
