import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ArtifactStore, PutSource, StoredObject, UploadTarget } from './artifact-store';
import type { S3Config } from './config';
import { HashMismatch, NotInStore, ObjectNotFound, StorageUnavailable } from './errors';
import { assertKey } from './keys';
import { base64ToHex, digestOf, hexToBase64, PartHasher } from './part-hasher';

interface SdkError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

async function* hashing(input: AsyncIterable<Buffer | Uint8Array>, hasher: PartHasher) {
  for await (const chunk of input) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    hasher.update(buffer);
    yield buffer;
  }
}

/**
 * A bucket on any S3-compatible endpoint, through the AWS SDK v3. Small files go up in one PUT that
 * carries their SHA-256, which the store checks before it keeps anything; larger ones in parts, each
 * checked, and the composite checksum S3 returns is compared with the one computed here. Incomplete
 * multipart uploads are never listed as objects, and `cleanup` aborts old ones.
 */
export class S3Store implements ArtifactStore {
  readonly backend = 's3' as const;
  readonly description: string;
  private readonly client: S3Client;
  private readonly presigner: S3Client;

  constructor(
    private readonly config: S3Config,
    private readonly options: { urlExpirySeconds: number },
  ) {
    const base: S3ClientConfig = {
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      ...(config.accessKeyId && config.secretAccessKey
        ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
        : {}),
      // A store that does not answer fails fast, so a task is retried rather than hung.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
    };
    this.client = new S3Client({ ...base, ...(config.endpoint ? { endpoint: config.endpoint } : {}) });
    const publicEndpoint = config.publicEndpoint ?? config.endpoint;
    this.presigner =
      publicEndpoint === config.endpoint
        ? this.client
        : new S3Client({ ...base, ...(publicEndpoint ? { endpoint: publicEndpoint } : {}) });
    this.description = `s3://${config.bucket}/${config.prefix}${config.endpoint ? ` at ${config.endpoint}` : ''}`;
  }

  private objectKey(key: string): string {
    assertKey(key);
    return `${this.config.prefix}${key}`;
  }

  private get sse() {
    const c = this.config;
    return {
      ...(c.serverSideEncryption ? { ServerSideEncryption: c.serverSideEncryption } : {}),
      ...(c.kmsKeyId ? { SSEKMSKeyId: c.kmsKeyId } : {}),
    } as const;
  }

  /** SDK errors in words an operator acts on; a missing object is ObjectNotFound, an abort stays an abort. */
  private translate(error: unknown, key: string): Error {
    const e = error as SdkError;
    const name = e.name ?? e.Code ?? '';
    const status = e.$metadata?.httpStatusCode;
    if (error instanceof Error && (name === 'AbortError' || error.name === 'AbortError')) return error;
    if (name === 'NoSuchKey' || (name === 'NotFound' && status === 404)) return new ObjectNotFound(key);
    let reason: string;
    if (name === 'NoSuchBucket')
      reason = `bucket ${this.config.bucket} does not exist: create it, or fix storage.s3.bucket`;
    else if (
      status === 403 ||
      name === 'AccessDenied' ||
      name === 'InvalidAccessKeyId' ||
      name === 'SignatureDoesNotMatch'
    )
      reason = `the credentials may not do this on ${this.config.bucket}/${key} (${name || 'HTTP 403'}): check the access key and the bucket policy`;
    else if (status === 301 || name === 'PermanentRedirect')
      reason = `bucket ${this.config.bucket} is in another region than ${this.config.region}: fix storage.s3.region`;
    else if (status === undefined)
      reason =
        `cannot reach ${this.config.endpoint ?? 'AWS S3'}: ${e.code ?? name} ${e.message ?? ''}`.trim();
    else reason = `${name || 'error'} (HTTP ${status}) on ${key}: ${e.message ?? ''}`.trim();
    return new StorageUnavailable(this.description, reason);
  }

  private async call<T>(key: string, run: (client: S3Client) => Promise<T>): Promise<T> {
    try {
      return await run(this.client);
    } catch (error) {
      throw this.translate(error, key);
    }
  }

  async put(
    key: string,
    source: PutSource,
    options: { sha256: string; contentType?: string; signal?: AbortSignal },
  ): Promise<StoredObject> {
    const Key = this.objectKey(key);
    const size =
      'bytes' in source ? source.bytes.length : 'path' in source ? (await stat(source.path)).size : undefined;
    const common = {
      Bucket: this.config.bucket,
      Key,
      ContentType: options.contentType ?? 'application/octet-stream',
      Metadata: { sha256: options.sha256 },
      ...this.sse,
    };
    let stored: string | undefined;
    if (size !== undefined && size <= this.config.partSizeBytes) {
      // One PUT carrying the declared SHA-256: the store refuses (BadDigest) bytes that do not match it.
      try {
        const out = await this.client.send(
          new PutObjectCommand({
            ...common,
            Body: 'bytes' in source ? source.bytes : createReadStream((source as { path: string }).path),
            ContentLength: size,
            ChecksumSHA256: hexToBase64(options.sha256),
          }),
          options.signal ? { abortSignal: options.signal } : {},
        );
        stored = out.ChecksumSHA256;
      } catch (error) {
        const name = (error as SdkError).name ?? '';
        if (/BadDigest|InvalidDigest|ChecksumMismatch/i.test(name)) {
          throw new HashMismatch(
            key,
            options.sha256,
            (
              await digestOf(
                'bytes' in source ? [source.bytes] : createReadStream((source as { path: string }).path),
              )
            ).sha256,
          );
        }
        throw this.translate(error, key);
      }
      if (stored === hexToBase64(options.sha256)) return this.stored(key, size, options.sha256);
    } else {
      const hasher = new PartHasher(this.config.partSizeBytes);
      const input =
        'path' in source
          ? createReadStream(source.path)
          : 'bytes' in source
            ? Readable.from([source.bytes])
            : source.stream;
      const upload = new Upload({
        client: this.client,
        params: { ...common, Body: Readable.from(hashing(input, hasher)), ChecksumAlgorithm: 'SHA256' },
        partSize: this.config.partSizeBytes,
        queueSize: this.config.uploadConcurrency,
        leavePartsOnError: false,
      });
      const abort = () => void upload.abort().catch(() => undefined);
      options.signal?.addEventListener('abort', abort, { once: true });
      try {
        const out = await upload.done();
        stored = (out as { ChecksumSHA256?: string }).ChecksumSHA256;
      } catch (error) {
        throw this.translate(error, key);
      } finally {
        options.signal?.removeEventListener('abort', abort);
      }
      const { sha256, s3Checksum } = hasher.finish();
      if (sha256 !== options.sha256) {
        await this.delete(key);
        throw new HashMismatch(key, options.sha256, sha256);
      }
      if (stored === s3Checksum) return this.stored(key, hasher.bytes, sha256);
    }
    // The store gave no checksum to compare (or another one): read back what it holds.
    const held = await this.digest(key);
    if (held.sha256 !== options.sha256) {
      await this.delete(key);
      throw new HashMismatch(key, options.sha256, held.sha256);
    }
    return this.stored(key, held.bytes, held.sha256);
  }

  private stored(key: string, bytes: number, sha256: string): StoredObject {
    return { key, uri: this.uri(key), bytes, sha256 };
  }

  async read(key: string): Promise<Readable> {
    const Key = this.objectKey(key);
    const out = await this.call(key, (c) =>
      c.send(new GetObjectCommand({ Bucket: this.config.bucket, Key })),
    );
    return out.Body as Readable;
  }

  async digest(key: string): Promise<{ sha256: string; bytes: number }> {
    const Key = this.objectKey(key);
    const head = await this.call(key, (c) =>
      c.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key, ChecksumMode: 'ENABLED' })),
    );
    // A full-object SHA-256 the store verified when the object was written; a composite one ("…-N") is not the file's.
    if (head.ChecksumSHA256 && !head.ChecksumSHA256.includes('-'))
      return { sha256: base64ToHex(head.ChecksumSHA256), bytes: head.ContentLength ?? 0 };
    return digestOf(await this.read(key));
  }

  async list(prefix: string): Promise<Array<{ key: string; bytes: number }>> {
    const out: Array<{ key: string; bytes: number }> = [];
    const Prefix = prefix ? `${this.objectKey(prefix.replace(/\/+$/, ''))}/` : this.config.prefix;
    let ContinuationToken: string | undefined;
    do {
      const token = ContinuationToken;
      const page = await this.call(prefix, (c) =>
        c.send(new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix, ContinuationToken: token })),
      );
      for (const o of page.Contents ?? [])
        if (o.Key) out.push({ key: o.Key.slice(this.config.prefix.length), bytes: o.Size ?? 0 });
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
    return out;
  }

  async delete(key: string): Promise<void> {
    const Key = this.objectKey(key);
    await this.call(key, (c) => c.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key })));
  }

  uri(key: string): string {
    return `s3://${this.config.bucket}/${this.objectKey(key)}`;
  }

  keyOf(uri: string): string {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (!match || match[1] !== this.config.bucket || !match[2]!.startsWith(this.config.prefix))
      throw new NotInStore(uri, `not under s3://${this.config.bucket}/${this.config.prefix}`);
    const key = match[2]!.slice(this.config.prefix.length);
    assertKey(key);
    return key;
  }

  private expiresAt(): string {
    return new Date(Date.now() + this.options.urlExpirySeconds * 1000).toISOString();
  }

  async downloadUrl(
    key: string,
    options: { filename?: string; contentType?: string } = {},
  ): Promise<{ url: string; expiresAt: string }> {
    const command = new GetObjectCommand({
      Bucket: this.config.bucket,
      Key: this.objectKey(key),
      ...(options.contentType ? { ResponseContentType: options.contentType } : {}),
      ...(options.filename
        ? { ResponseContentDisposition: `inline; filename="${options.filename.replace(/[^\w.-]/g, '_')}"` }
        : {}),
    });
    const url = await getSignedUrl(this.presigner, command, { expiresIn: this.options.urlExpirySeconds });
    return { url, expiresAt: this.expiresAt() };
  }

  async uploadUrl(key: string, options: { sha256: string; contentType?: string }): Promise<UploadTarget> {
    const checksum = hexToBase64(options.sha256);
    const contentType = options.contentType ?? 'application/octet-stream';
    const sse = this.sse;
    const command = new PutObjectCommand({
      Bucket: this.config.bucket,
      Key: this.objectKey(key),
      ContentType: contentType,
      ChecksumSHA256: checksum,
      ...sse,
    });
    // Kept as signed headers, not query parameters: the client must send them, and the store checks the body against the checksum.
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-amz-checksum-sha256': checksum,
      ...(sse.ServerSideEncryption ? { 'x-amz-server-side-encryption': sse.ServerSideEncryption } : {}),
      ...(sse.SSEKMSKeyId ? { 'x-amz-server-side-encryption-aws-kms-key-id': sse.SSEKMSKeyId } : {}),
    };
    const url = await getSignedUrl(this.presigner, command, {
      expiresIn: this.options.urlExpirySeconds,
      unhoistableHeaders: new Set(Object.keys(headers).filter((h) => h.startsWith('x-amz-'))),
      signableHeaders: new Set(['content-type']),
    });
    return { method: 'PUT', url, headers, expiresAt: this.expiresAt() };
  }

  paths(): string[] {
    return [];
  }

  async check(needs: { write: boolean }): Promise<void> {
    await this.call('(the bucket)', (c) =>
      c.send(new HeadBucketCommand({ Bucket: this.config.bucket })),
    ).catch((error) => {
      // HEAD has no body, so a missing bucket comes back as a bare 404.
      if (error instanceof ObjectNotFound)
        throw new StorageUnavailable(
          this.description,
          `bucket ${this.config.bucket} does not exist: create it, or fix storage.s3.bucket`,
        );
      throw error;
    });
    if (!needs.write) return;
    const key = `.shotcaller-probe/${randomBytes(6).toString('hex')}`;
    const bytes = Buffer.from('probe');
    await this.put(key, { bytes }, { sha256: createHash('sha256').update(bytes).digest('hex') });
    await this.delete(key);
  }

  async cleanup(options: { olderThanMs: number; now?: Date }): Promise<string[]> {
    const cutoff = (options.now ?? new Date()).getTime() - options.olderThanMs;
    const removed: string[] = [];
    // Only Shotcaller's own keys: a bucket may hold other tools' uploads too.
    for (const area of ['outputs/', 'deliveries/', '.shotcaller-probe/']) {
      const Prefix = `${this.config.prefix}${area}`;
      let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
      for (;;) {
        const page = await this.call('(multipart uploads)', (c) =>
          c.send(new ListMultipartUploadsCommand({ Bucket: this.config.bucket, Prefix, ...markers })),
        );
        for (const u of page.Uploads ?? []) {
          if (!u.Key || !u.UploadId || (u.Initiated && u.Initiated.getTime() > cutoff)) continue;
          const { Key, UploadId } = u;
          await this.call(Key, (c) =>
            c.send(new AbortMultipartUploadCommand({ Bucket: this.config.bucket, Key, UploadId })),
          );
          removed.push(Key.slice(this.config.prefix.length));
        }
        if (!page.IsTruncated) break;
        markers = { KeyMarker: page.NextKeyMarker, UploadIdMarker: page.NextUploadIdMarker };
      }
    }
    return removed;
  }
}
