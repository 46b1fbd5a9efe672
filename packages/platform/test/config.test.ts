import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationFailed } from '@shotcaller/contracts';
import { ConfigFileUnreadable, loadConfig } from '@shotcaller/platform';
import { describe, expect, it } from 'vitest';

const file = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'sc-config-')), 'shotcaller.yaml');
  writeFileSync(path, text);
  return path;
};

describe('configuration', () => {
  it('runs with nothing configured, on documented defaults', () => {
    const config = loadConfig({ env: {} });
    expect(config.deployment).toBe('dev');
    expect(config.redis.url).toBeUndefined();
    expect(config.temporal).toEqual({ namespace: 'default' });
    expect(config.api).toEqual({
      host: '127.0.0.1',
      port: 8080,
      bodyLimitBytes: 1_048_576,
      maxBatch: 500,
      trustProxy: false,
      hstsMaxAgeSeconds: 31_536_000,
      corsOrigins: [],
      timeouts: {
        headersMs: 10_000,
        requestMs: 30_000,
        keepAliveMs: 65_000,
        handlerMs: 120_000,
        idleMs: 300_000,
      },
      rateLimits: {
        enabled: true,
        windowMs: 60_000,
        read: 1_200,
        write: 300,
        events: 60,
        expensive: 10,
        unauthenticated: 60,
      },
      sse: { heartbeatMs: 15_000, stallMs: 30_000, maxBufferedBytes: 1_048_576, maxPerCaller: 10 },
    });
    expect(config.auth.tokens).toEqual([]);
    expect(config.events.claimIdleMs).toBe(30_000);
    expect(config.storage).toMatchObject({ backend: 'local', pathMappings: [], urlExpirySeconds: 900 });
  });

  it('takes an S3 store from the environment, and says what a backend is missing', () => {
    const config = loadConfig({
      env: {
        SHOTCALLER_STORAGE_BACKEND: 's3',
        SHOTCALLER_S3_BUCKET: 'nth-frames',
        SHOTCALLER_S3_ENDPOINT: 'http://minio.internal:9000',
        SHOTCALLER_S3_FORCE_PATH_STYLE: 'true',
      },
    });
    expect(config.storage.s3).toMatchObject({
      bucket: 'nth-frames',
      endpoint: 'http://minio.internal:9000',
      forcePathStyle: true,
      region: 'us-east-1',
      partSizeBytes: 8 * 1024 * 1024,
    });
    expect(() => loadConfig({ env: { SHOTCALLER_STORAGE_BACKEND: 's3' } })).toThrow(
      /storage\.s3: the s3 backend needs storage\.s3/,
    );
    expect(() => loadConfig({ env: { SHOTCALLER_STORAGE_BACKEND: 'shared-fs' } })).toThrow(
      /storage\.root: the shared-fs backend needs storage\.root/,
    );
    expect(() =>
      loadConfig({ env: {}, file: file('storage:\n  pathMappings:\n    - [/mnt/shows]\n') }),
    ).toThrow(/at least two equivalent roots/);
  });

  it('takes the file, then the environment over it', () => {
    const path = file('deployment: prod\napi:\n  port: 9000\nevents:\n  maxDeliveries: 7\n');
    const config = loadConfig({
      env: { SHOTCALLER_API_PORT: '9100', REDIS_URL: 'redis://10.0.0.5:6379' },
      file: path,
    });
    expect(config.deployment).toBe('prod');
    expect(config.api.port).toBe(9100);
    expect(config.events.maxDeliveries).toBe(7);
    expect(config.redis.url).toBe('redis://10.0.0.5:6379');
  });

  it('reads the api hardening settings from the environment', () => {
    const api = (env: Record<string, string>) => loadConfig({ env }).api;
    expect(api({ SHOTCALLER_API_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(api({ SHOTCALLER_API_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(api({ SHOTCALLER_API_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe(
      '10.0.0.0/8, 127.0.0.1',
    );
    expect(
      api({ SHOTCALLER_API_CORS_ORIGINS: 'https://tools.example.com, https://qc.example.com' }).corsOrigins,
    ).toEqual(['https://tools.example.com', 'https://qc.example.com']);
    expect(api({ SHOTCALLER_RATE_LIMITS_ENABLED: 'false' }).rateLimits.enabled).toBe(false);
  });

  it('refuses a headers timeout longer than the request timeout', () => {
    expect(() => loadConfig({ env: {}, overrides: { api: { timeouts: { headersMs: 60_000 } } } })).toThrow(
      /api\.timeouts\.headersMs/,
    );
  });

  it('reads the file named by SHOTCALLER_CONFIG', () => {
    const path = file('deployment: from-env-file\n');
    expect(loadConfig({ env: { SHOTCALLER_CONFIG: path } }).deployment).toBe('from-env-file');
  });

  it('names the field and the source of a bad value', () => {
    const path = file('api:\n  port: 99999\n');
    expect(() => loadConfig({ env: {}, file: path })).toThrow(ValidationFailed);
    expect(() => loadConfig({ env: {}, file: path })).toThrow(/api\.port/);
    expect(() => loadConfig({ env: { SHOTCALLER_API_PORT: 'eighty' } })).toThrow(/api\.port/);
    expect(() => loadConfig({ env: { REDIS_URL: 'localhost:6379' } })).toThrow(
      /redis\.url: must be a redis:\/\//,
    );
    expect(() => loadConfig({ env: { SHOTCALLER_DEPLOYMENT: 'Prod Main' } })).toThrow(/deployment/);
  });

  it('refuses unknown settings rather than ignoring a typo', () => {
    const path = file('api:\n  prot: 9000\n');
    expect(() => loadConfig({ env: {}, file: path })).toThrow(/api\.prot: unknown field/);
  });

  it('says which file it could not read', () => {
    expect(() => loadConfig({ env: {}, file: '/nonexistent/shotcaller.yaml' })).toThrow(ConfigFileUnreadable);
    expect(() => loadConfig({ env: {}, file: file('- a list\n') })).toThrow(/must hold a mapping/);
  });
});

describe('the Redis to use', () => {
  it('takes a cluster by its nodes from the environment', () => {
    const config = loadConfig({ env: { SHOTCALLER_REDIS_CLUSTER_NODES: 'r1:7000, r2:7001' } });
    expect(config.redis.cluster).toEqual({ nodes: ['r1:7000', 'r2:7001'] });
  });

  it('refuses two Redis at once, and a node that is not host:port', () => {
    expect(() =>
      loadConfig({ env: { REDIS_URL: 'redis://r:6379', SHOTCALLER_REDIS_CLUSTER_NODES: 'r1:7000' } }),
    ).toThrow(/name one Redis/);
    expect(() => loadConfig({ env: { SHOTCALLER_REDIS_CLUSTER_NODES: 'r1' } })).toThrow(/host:port/);
  });
});
