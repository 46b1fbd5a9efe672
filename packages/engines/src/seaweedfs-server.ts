import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { seaweedBinary } from './binaries';
import { EngineFailedToStart } from './errors';
import { freePorts } from './free-port';
import { SupervisedProcess } from './supervised-process';
import { waitUntil } from './wait-until';

export interface SeaweedFsOptions {
  /** Buckets to create once it is up. */
  buckets?: string[];
  startTimeoutMs?: number;
}

export interface SeaweedFsHandle {
  /** The S3 endpoint, e.g. http://127.0.0.1:41234 (path-style). */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  process: SupervisedProcess;
  stop(): Promise<void>;
}

/** Creates the bucket and writes and deletes an object: ready means ready to take frames. */
async function acceptsWrites(client: S3Client, buckets: readonly string[]): Promise<boolean> {
  for (const Bucket of buckets) {
    const exists = await client.send(new HeadBucketCommand({ Bucket })).then(
      () => true,
      () => false,
    );
    if (!exists) await client.send(new CreateBucketCommand({ Bucket }));
    await client.send(new PutObjectCommand({ Bucket, Key: '.ready', Body: 'ready' }));
    await client.send(new DeleteObjectCommand({ Bucket, Key: '.ready' }));
  }
  return true;
}

/**
 * A real S3-compatible server for the storage tests: SeaweedFS's `weed server -s3` (master, volume,
 * filer and S3 gateway in one process) on free loopback ports with a temp directory, one identity
 * from an `-s3.config` file, SSE-S3 keyed from a `security.toml` in its working directory, and
 * telemetry off (it would call out of the machine).
 */
export async function startSeaweedFs(options: SeaweedFsOptions = {}): Promise<SeaweedFsHandle> {
  const binary = seaweedBinary();
  const dir = await mkdtemp(join(tmpdir(), 'shotcaller-seaweedfs-'));
  const accessKeyId = `SC${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(24).toString('base64url');
  await writeFile(
    join(dir, 's3.json'),
    JSON.stringify({
      identities: [
        {
          name: 'shotcaller',
          credentials: [{ accessKey: accessKeyId, secretKey: secretAccessKey }],
          actions: ['Admin', 'Read', 'Write', 'List', 'Tagging'],
        },
      ],
    }),
  );
  await writeFile(join(dir, 'security.toml'), `[s3.sse]\nkek = "${randomBytes(32).toString('hex')}"\n`);
  await mkdir(join(dir, 'data'));
  const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3, s3Grpc] = (await freePorts(8)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const proc = new SupervisedProcess(
    'seaweedfs',
    binary,
    [
      'server',
      '-ip=127.0.0.1',
      '-ip.bind=127.0.0.1',
      `-dir=${join(dir, 'data')}`,
      `-master.port=${master}`,
      `-master.port.grpc=${masterGrpc}`,
      '-master.telemetry=false',
      '-master.volumeSizeLimitMB=64',
      `-volume.port=${volume}`,
      `-volume.port.grpc=${volumeGrpc}`,
      '-volume.max=0',
      '-volume.preStopSeconds=0',
      '-filer',
      `-filer.port=${filer}`,
      `-filer.port.grpc=${filerGrpc}`,
      '-s3',
      `-s3.port=${s3}`,
      `-s3.port.grpc=${s3Grpc}`,
      '-s3.port.iceberg=0',
      '-s3.port.lance=0',
      `-s3.config=${join(dir, 's3.json')}`,
    ],
    { cwd: dir },
  );
  const endpoint = `http://127.0.0.1:${s3}`;
  const region = 'us-east-1';
  const client = new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
  });
  const ready = await waitUntil(() => acceptsWrites(client, options.buckets ?? []), {
    timeoutMs: options.startTimeoutMs ?? 60_000,
    intervalMs: 250,
    aborted: () => (proc.running ? undefined : 'the process exited'),
  });
  client.destroy();
  const stop = async () => {
    // Its shutdown waits on heartbeats it no longer needs; nothing in a test's temp store is worth it.
    await proc.stop(2_000);
    await rm(dir, { recursive: true, force: true });
  };
  if (!ready.ok) {
    const tail = proc.logTail();
    await stop();
    throw new EngineFailedToStart('seaweedfs', ready.reason, tail);
  }
  return { endpoint, region, accessKeyId, secretAccessKey, process: proc, stop };
}
