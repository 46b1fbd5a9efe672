import { z } from 'zod';

/** Equivalent roots of one shared storage as different machines mount it, e.g. `[/mnt/shows, 'S:\shows', /Volumes/shows]`. */
export const PathMapping = z
  .array(z.string().min(1))
  .min(2, 'a path mapping lists at least two equivalent roots (one per platform or mount)');
export type PathMapping = z.infer<typeof PathMapping>;

export const S3Config = z.strictObject({
  /** Any S3-compatible endpoint (MinIO, Ceph RGW, SeaweedFS…); AWS when absent. */
  endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  /** The endpoint put in presigned URLs, when clients reach the store by another address than Shotcaller does. */
  publicEndpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  region: z.string().min(1).default('us-east-1'),
  bucket: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'must be a bucket name: 3–63 lower-case letters, digits, "." or "-"',
    ),
  /** Prepended to every key, so one bucket can hold several deployments. */
  prefix: z
    .string()
    .regex(/^([\w.-]+\/)*$/, 'must be empty or end with "/", e.g. "shotcaller/"')
    .default(''),
  /** `https://endpoint/bucket/key` (MinIO, SeaweedFS) rather than `https://bucket.endpoint/key` (AWS). */
  forcePathStyle: z.boolean().default(false),
  /** Static credentials; when absent the AWS SDK's default chain (AWS_ACCESS_KEY_ID…, profiles, instance roles). */
  accessKeyId: z.string().min(1).optional(),
  secretAccessKey: z.string().min(1).optional(),
  /** Server-side encryption of every object written: `AES256` (SSE-S3) or `aws:kms` (with `kmsKeyId`). */
  serverSideEncryption: z.enum(['AES256', 'aws:kms']).optional(),
  kmsKeyId: z.string().min(1).optional(),
  /** Files larger than this go up in parts of this size (S3's minimum is 5 MiB). */
  partSizeBytes: z
    .int()
    .min(5 * 1024 * 1024)
    .default(8 * 1024 * 1024),
  /** Parts of one file uploaded at once. */
  uploadConcurrency: z.int().positive().default(4),
});
export type S3Config = z.infer<typeof S3Config>;

/** Where Shotcaller keeps what it writes or receives as a file: frames, manifests, vendor deliveries. */
export const StorageConfig = z
  .strictObject({
    /** `local`: a directory on this machine (`root`, default the data dir); `shared-fs`: a root on shared storage; `s3`. */
    backend: z.enum(['local', 'shared-fs', 's3']).default('local'),
    /** The store's root directory as this machine sees it (local and shared-fs). */
    root: z.string().min(1).optional(),
    /** For shared-fs: the same storage as other machines mount it, so a path written on one resolves on another. */
    pathMappings: z.array(PathMapping).default([]),
    s3: S3Config.optional(),
    /** How long a presigned download or upload URL stays valid. */
    urlExpirySeconds: z.int().min(60).max(604_800).default(900),
    /** Key that signs the API's own upload URLs (local and shared-fs); set the same on every api replica. */
    uploadSigningKey: z.string().min(16).optional(),
    /** Leftovers of interrupted writes (temp files, incomplete multipart uploads) older than this are removed. */
    leftoverMaxAgeMs: z.int().positive().default(86_400_000),
    /** How often the api role removes such leftovers; 0 never (run `shotcaller storage cleanup` instead). */
    cleanupEveryMs: z.int().nonnegative().default(3_600_000),
    /** A genai task that meets an unavailable store waits this long before it tries again. */
    retryDelayMs: z.int().positive().default(15_000),
  })
  .superRefine((c, ctx) => {
    if (c.backend === 's3' && !c.s3)
      ctx.addIssue({
        code: 'custom',
        path: ['s3'],
        message: 'the s3 backend needs storage.s3 (at least a bucket)',
      });
    if (c.backend === 'shared-fs' && !c.root)
      ctx.addIssue({
        code: 'custom',
        path: ['root'],
        message: 'the shared-fs backend needs storage.root: the share as this machine mounts it',
      });
    if (c.s3?.serverSideEncryption !== 'aws:kms' && c.s3?.kmsKeyId)
      ctx.addIssue({
        code: 'custom',
        path: ['s3', 'kmsKeyId'],
        message: 'kmsKeyId needs serverSideEncryption: aws:kms',
      });
  });
export type StorageConfig = z.infer<typeof StorageConfig>;
