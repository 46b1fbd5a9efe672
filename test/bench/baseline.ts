import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { totalCommands } from './redis-stats';

/** Bare BullMQ: add `n` jobs in bulk, one worker that does nothing; jobs per second and commands per job. */
export async function bareBullmq(
  redis: Redis,
  n: number,
): Promise<{ jobsPerSecond: number; commandsPerJob: number }> {
  const prefix = `bench-${Date.now()}`;
  const queue = new Queue('baseline', { connection: redis, prefix });
  const commandsBefore = await totalCommands(redis);
  const started = performance.now();
  let done = 0;
  const workerConnection = redis.duplicate();
  const finished = new Promise<void>((resolve) => {
    const worker = new Worker(
      'baseline',
      async () => {
        if (++done === n) {
          resolve();
          void worker.close();
        }
      },
      { connection: workerConnection, prefix, concurrency: 16, removeOnComplete: { count: 0 } },
    );
  });
  for (let i = 0; i < n; i += 500) {
    await queue.addBulk(
      Array.from({ length: Math.min(500, n - i) }, (_, j) => ({ name: 'noop', data: { i: i + j } })),
    );
  }
  await finished;
  const seconds = (performance.now() - started) / 1000;
  const commands = (await totalCommands(redis)) - commandsBefore;
  await queue.obliterate({ force: true });
  await queue.close();
  workerConnection.disconnect();
  return { jobsPerSecond: n / seconds, commandsPerJob: commands / n };
}
