import { presignedOrigin, StorageConfig } from '@shotcaller/storage';
import { describe, expect, it } from 'vitest';

const s3 = (s3: Record<string, unknown>) =>
  StorageConfig.parse({ backend: 's3', s3: { bucket: 'frames', ...s3 } });

describe('the origin of presigned URLs (what the dashboard may show images from)', () => {
  it('is the endpoint for path-style addressing, the bucket under it otherwise, AWS without one', () => {
    expect(presignedOrigin(s3({ endpoint: 'http://127.0.0.1:8333', forcePathStyle: true }))).toBe(
      'http://127.0.0.1:8333',
    );
    expect(presignedOrigin(s3({ endpoint: 'https://minio.studio.internal:9000' }))).toBe(
      'https://frames.minio.studio.internal:9000',
    );
    expect(presignedOrigin(s3({ region: 'eu-west-1' }))).toBe('https://frames.s3.eu-west-1.amazonaws.com');
    expect(
      presignedOrigin(
        s3({
          endpoint: 'http://weed:8333',
          publicEndpoint: 'https://files.studio.example',
          forcePathStyle: true,
        }),
      ),
    ).toBe('https://files.studio.example');
  });

  it('is none when the API serves the files itself', () => {
    expect(presignedOrigin(StorageConfig.parse({}))).toBeUndefined();
  });
});
