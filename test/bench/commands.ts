/**
 * `pnpm bench:commands`: only where a shot's Redis commands go (by part and command), on a Redis of
 * its own: the quick check while working on per-shot cost. `pnpm bench` prints the same beside the rest.
 */
import { startRedisServer } from '@shotcaller/engines';
import { Redis } from 'ioredis';
import { shotcallerCommandBreakdown } from './shotcaller-e2e';

const server = await startRedisServer();
const redis = new Redis(server.url, { maxRetriesPerRequest: null });
try {
  const breakdown = await shotcallerCommandBreakdown(
    redis,
    server.url,
    Number(process.env.BENCH_SHOTS ?? 200),
  );
  console.log(JSON.stringify(breakdown, null, 1));
} finally {
  redis.disconnect();
  await server.stop();
}
