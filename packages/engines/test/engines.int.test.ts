import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startRedisServer } from '@shotcaller/engines';
import { eventually } from '@shotcaller/testkit';
import { Client, Connection } from '@temporalio/client';
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';

async function answers(port: number): Promise<boolean> {
  const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

describe('engines started by the project', () => {
  it('starts a redis-server of its own on a free port with AOF on, and stops it', async () => {
    const server = await startRedisServer();
    const client = new Redis(server.url);
    try {
      expect(server.port).not.toBe(6379);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await client.config('GET', 'dir')).toEqual(['dir', server.dataDir]);
    } finally {
      client.disconnect();
      await server.stop();
    }
    expect(await answers(server.port)).toBe(false);
  });

  it('leaves no redis-server behind when the process that started it is killed', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/start-redis-and-wait.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    });
    expect(await answers(port)).toBe(true);
    child.kill('SIGKILL');
    await eventually(
      () => answers(port),
      (up) => up === false,
      'the orphaned redis-server to stop',
    );
  });

  it('runs a real Temporal dev server a client can talk to, with our search attributes registered', async () => {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const client = new Client({ connection, namespace: inject('temporalNamespace') });
      const info = await client.workflowService.describeNamespace({ namespace: inject('temporalNamespace') });
      expect(info.namespaceInfo?.name).toBe(inject('temporalNamespace'));
      const attributes = await client.connection.operatorService.listSearchAttributes({
        namespace: inject('temporalNamespace'),
      });
      expect(Object.keys(attributes.customAttributes ?? {})).toEqual(
        expect.arrayContaining(['ShotcallerShow', 'ShotcallerShot', 'ShotcallerShotId']),
      );
    } finally {
      await connection.close();
    }
  });
});
