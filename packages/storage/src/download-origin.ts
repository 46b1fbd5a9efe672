import type { StorageConfig } from './config';

/**
 * The web origin the store's presigned URLs point at, for the dashboard's Content-Security-Policy to
 * allow images from; undefined when files are served by the API itself (local and shared-fs).
 */
export function presignedOrigin(storage: StorageConfig): string | undefined {
  const s3 = storage.s3;
  if (storage.backend !== 's3' || !s3) return undefined;
  const endpoint = s3.publicEndpoint ?? s3.endpoint;
  if (!endpoint) return `https://${s3.bucket}.s3.${s3.region}.amazonaws.com`;
  const url = new URL(endpoint);
  return s3.forcePathStyle ? url.origin : `${url.protocol}//${s3.bucket}.${url.host}`;
}
