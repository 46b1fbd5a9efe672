import { startRedisServer } from '@shotcaller/engines';
import { closeWorker } from '@shotcaller/shots';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

describe('closing a queue worker', () => {
  it('returns within its grace when Redis is gone, where BullMQ alone would wait for it', async () => {
    const server = await startRedisServer();
    const connection = new Redis(server.url, { maxRetriesPerRequest: null });
    connection.on('error', () => {});
    const queue = new Queue('close-test', { connection });
    queue.on('error', () => {});
    let started!: () => void;
    const running = new Promise<void>((r) => {
      started = r;
    });
    // A job in hand when Redis goes away; it is done long before the grace is over, so only the
    // connections to the gone server could keep BullMQ's close waiting.
    const worker = new Worker(
      'close-test',
      async () => {
        started();
        await new Promise((r) => setTimeout(r, 200));
      },
      { connection, autorun: true },
    );
    worker.on('error', () => {});
    await queue.add('slow', {});
    await running;
    await server.stop();
    const outcome = await closeWorker(worker, 3_000);
    expect(outcome).toBe('gave up');
    connection.disconnect();
  }, 30_000);
});
