import type { Redis } from 'ioredis';
import { partOf } from './command-breakdown';

/** Total commands Redis has processed, from INFO commandstats. */
export async function totalCommands(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  let total = 0;
  for (const match of info.matchAll(/calls=(\d+)/g)) total += Number(match[1]);
  return total;
}

export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

/**
 * What a deployment keeps in Redis, from `MEMORY USAGE` of each of its keys (every partition's), in
 * total and by part: what its data holds, without the server's buffers and allocator slack that
 * `used_memory` also moves with.
 */
export async function retainedBytes(
  servers: readonly Redis[],
  deployment: string,
): Promise<{ total: number; byPart: Record<string, number> }> {
  const byPart: Record<string, number> = {};
  let total = 0;
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', `{sc:${deployment}*`, 'COUNT', 1000);
      cursor = next;
      const pipeline = server.pipeline();
      for (const key of keys) pipeline.memory('USAGE', key, 'SAMPLES', '0');
      const sizes = (await pipeline.exec()) ?? [];
      keys.forEach((key, i) => {
        const bytes = Number(sizes[i]?.[1] ?? 0);
        const part = partOf(key);
        byPart[part] = (byPart[part] ?? 0) + bytes;
        total += bytes;
      });
    } while (cursor !== '0');
  }
  return { total, byPart };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
