import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NotInStore, S3Config, S3Store } from '../src';

const store = (over: Partial<S3Config> = {}) =>
  new S3Store(
    S3Config.parse({
      endpoint: 'https://s3.studio.example',
      bucket: 'nth-frames',
      prefix: 'prod/',
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret',
      ...over,
    }),
    { urlExpirySeconds: 600 },
  );
const sha = createHash('sha256').update('plate').digest('hex');

describe('S3 addressing and presigned URLs', () => {
  it('puts the bucket in the host name (virtual-host) unless path-style is asked for', async () => {
    const virtual = new URL((await store().downloadUrl('outputs/a.png')).url);
    expect(virtual.host).toBe('nth-frames.s3.studio.example');
    expect(virtual.pathname).toBe('/prod/outputs/a.png');
    const path = new URL((await store({ forcePathStyle: true }).downloadUrl('outputs/a.png')).url);
    expect(path.host).toBe('s3.studio.example');
    expect(path.pathname).toBe('/nth-frames/prod/outputs/a.png');
    expect(path.searchParams.get('X-Amz-Expires')).toBe('600');
  });

  it('presigns for the address clients use when it differs from the roles’', async () => {
    const url = new URL(
      (
        await store({ forcePathStyle: true, publicEndpoint: 'https://files.studio.example' }).downloadUrl(
          'outputs/a.png',
        )
      ).url,
    );
    expect(url.host).toBe('files.studio.example');
  });

  it('signs the checksum (and encryption) into an upload URL as headers the client must send', async () => {
    const target = await store({ serverSideEncryption: 'aws:kms', kmsKeyId: 'key-1' }).uploadUrl(
      'deliveries/NTH/sh-1/u1/v001.exr',
      { sha256: sha },
    );
    expect(target.headers).toEqual({
      'content-type': 'application/octet-stream',
      'x-amz-checksum-sha256': Buffer.from(sha, 'hex').toString('base64'),
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'key-1',
    });
    const signed = new URL(target.url).searchParams.get('X-Amz-SignedHeaders')!.split(';');
    expect(signed).toEqual(
      expect.arrayContaining([
        'content-type',
        'x-amz-checksum-sha256',
        'x-amz-server-side-encryption',
        'x-amz-server-side-encryption-aws-kms-key-id',
      ]),
    );
  });

  it('knows its own URIs and no one else’s', () => {
    const s3 = store();
    expect(s3.uri('outputs/a.png')).toBe('s3://nth-frames/prod/outputs/a.png');
    expect(s3.keyOf('s3://nth-frames/prod/outputs/a.png')).toBe('outputs/a.png');
    expect(() => s3.keyOf('s3://other/prod/outputs/a.png')).toThrow(NotInStore);
    expect(() => s3.keyOf('s3://nth-frames/staging/outputs/a.png')).toThrow(NotInStore);
    expect(() => s3.keyOf('s3://nth-frames/prod/../secrets')).toThrow();
  });
});
