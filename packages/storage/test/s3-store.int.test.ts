import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { type SeaweedFsHandle, startSeaweedFs } from '@shotcaller/engines';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashMismatch, ObjectNotFound, S3Config, S3Store, StorageUnavailable } from '../src';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const bucket = 'shotcaller-store-test';
let weed: SeaweedFsHandle;
beforeAll(async () => {
  weed = await startSeaweedFs({ buckets: [bucket] });
}, 90_000);
afterAll(() => weed?.stop());

const storeOf = (over: Partial<S3Config> = {}) =>
  new S3Store(
    S3Config.parse({
      endpoint: weed.endpoint,
      region: weed.region,
      bucket,
      prefix: `t-${randomBytes(4).toString('hex')}/`,
      forcePathStyle: true,
      accessKeyId: weed.accessKeyId,
      secretAccessKey: weed.secretAccessKey,
      partSizeBytes: 5 * 1024 * 1024,
      ...over,
    }),
    { urlExpirySeconds: 300 },
  );
const rawClient = () =>
  new S3Client({
    endpoint: weed.endpoint,
    region: weed.region,
    forcePathStyle: true,
    credentials: { accessKeyId: weed.accessKeyId, secretAccessKey: weed.secretAccessKey },
  });

describe('the S3 store, on SeaweedFS', () => {
  it('puts a frame with its checksum, lists it, and serves it through a presigned URL', async () => {
    const store = storeOf();
    await store.check({ write: true });
    const frame = randomBytes(40_000);
    const stored = await store.put(
      'outputs/NTH/sh-1/attempt-1/f.0001.png',
      { bytes: frame },
      { sha256: sha(frame), contentType: 'image/png' },
    );
    expect(stored.uri).toMatch(
      new RegExp(`^s3://${bucket}/t-[0-9a-f]+/outputs/NTH/sh-1/attempt-1/f\\.0001\\.png$`),
    );
    expect(store.keyOf(stored.uri)).toBe(stored.key);
    expect(await store.list('outputs/NTH')).toEqual([{ key: stored.key, bytes: frame.length }]);
    expect(await store.digest(stored.key)).toEqual({ sha256: sha(frame), bytes: frame.length });
    const { url } = (await store.downloadUrl(stored.key, { contentType: 'image/png' }))!;
    const got = await fetch(url);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(sha(Buffer.from(await got.arrayBuffer()))).toBe(sha(frame));
  });

  it('uploads a large file in parts and checks the composite checksum the store returns', async () => {
    const store = storeOf();
    const path = join(mkdtempSync(join(tmpdir(), 's3-store-')), 'plate.exr');
    const big = randomBytes(12 * 1024 * 1024 + 17);
    writeFileSync(path, big);
    const stored = await store.put('deliveries/NTH/sh-2/plate.exr', { path }, { sha256: sha(big) });
    expect(stored).toMatchObject({ bytes: big.length, sha256: sha(big) });
    // A multipart object carries a composite checksum, so its digest is read back.
    expect(await store.digest(stored.key)).toEqual({ sha256: sha(big), bytes: big.length });
  });

  it('refuses bytes that do not match the declared hash, in one PUT and in parts, and keeps nothing', async () => {
    const store = storeOf();
    await expect(
      store.put('outputs/a.png', { bytes: Buffer.from('tampered') }, { sha256: sha('original') }),
    ).rejects.toThrow(HashMismatch);
    await expect(
      store.put(
        'outputs/b.exr',
        { stream: Readable.from([randomBytes(6 * 1024 * 1024)]) },
        { sha256: sha('original') },
      ),
    ).rejects.toThrow(HashMismatch);
    expect(await store.list('outputs')).toEqual([]);
    await expect(store.read('outputs/a.png')).rejects.toThrow(ObjectNotFound);
  });

  it('takes a presigned upload only with the declared bytes', async () => {
    const store = storeOf();
    const body = Buffer.from('v001 of the plate');
    const target = (await store.uploadUrl('deliveries/NTH/sh-3/v001.exr', { sha256: sha(body) }))!;
    const tampered = await fetch(target.url, {
      method: 'PUT',
      headers: target.headers,
      body: Buffer.from('v001 of the plat3'),
    });
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toMatch(/BadDigest/);
    await expect(store.digest('deliveries/NTH/sh-3/v001.exr')).rejects.toThrow(ObjectNotFound);
    const forged = await fetch(target.url, {
      method: 'PUT',
      headers: {
        ...target.headers,
        'x-amz-checksum-sha256': Buffer.from(sha('other'), 'hex').toString('base64'),
      },
      body: Buffer.from('other'),
    });
    expect(forged.status).toBe(403);
    const good = await fetch(target.url, { method: 'PUT', headers: target.headers, body });
    expect(good.status).toBe(200);
    expect(await store.digest('deliveries/NTH/sh-3/v001.exr')).toEqual({
      sha256: sha(body),
      bytes: body.length,
    });
  });

  it('encrypts on the server when asked (SSE-S3)', async () => {
    const store = storeOf({ serverSideEncryption: 'AES256' });
    const stored = await store.put(
      'outputs/enc.png',
      { bytes: Buffer.from('secret') },
      { sha256: sha('secret') },
    );
    expect(await store.digest(stored.key)).toEqual({ sha256: sha('secret'), bytes: 6 });
    const target = (await store.uploadUrl('deliveries/enc.exr', { sha256: sha('plate') }))!;
    expect(target.headers['x-amz-server-side-encryption']).toBe('AES256');
    expect((await fetch(target.url, { method: 'PUT', headers: target.headers, body: 'plate' })).status).toBe(
      200,
    );
  });

  it('aborts multipart uploads a killed writer left behind, and never lists them', async () => {
    const store = storeOf();
    const client = rawClient();
    const Key = `${store.uri('outputs/left.exr').split(`${bucket}/`)[1]}`;
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key }));
    await client.send(
      new UploadPartCommand({ Bucket: bucket, Key, UploadId, PartNumber: 1, Body: randomBytes(1024) }),
    );
    expect(await store.list('outputs')).toEqual([]);
    expect(await store.cleanup({ olderThanMs: 3_600_000 })).toEqual([]);
    expect(await store.cleanup({ olderThanMs: 0, now: new Date(Date.now() + 60_000) })).toEqual([
      'outputs/left.exr',
    ]);
    const left = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: Key }));
    expect(left.Uploads ?? []).toEqual([]);
    client.destroy();
  });

  it('says what is wrong when the bucket is missing, the credentials are refused, or nothing answers', async () => {
    await expect(storeOf({ bucket: 'no-such-bucket' }).check({ write: false })).rejects.toThrow(
      /bucket no-such-bucket does not exist: create it, or fix storage.s3.bucket/,
    );
    await expect(storeOf({ secretAccessKey: 'wrong-secret' }).check({ write: true })).rejects.toThrow(
      /the credentials may not do this/,
    );
    const down = storeOf({ endpoint: 'http://127.0.0.1:9' });
    await expect(down.check({ write: false })).rejects.toThrow(StorageUnavailable);
    await expect(down.check({ write: false })).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:9/);
  });
});
