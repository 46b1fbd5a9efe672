import type { RedisClient } from '@shotcaller/events';

interface Head {
  key: string;
  buffered: Array<[member: string, score: number]>;
  next: number;
  done: boolean;
}

/**
 * Walks several sorted sets (one per show) newest first as if they were one: by score, highest first,
 * then by member. Each set is read a page at a time, only as far as the walk goes. Shots are indexed
 * per show, not deployment-wide, so that a show's keys can live together in its own partition.
 */
export async function* newestFirst(
  redis: RedisClient,
  keys: readonly string[],
  page = 100,
): AsyncGenerator<string> {
  const heads: Head[] = keys.map((key) => ({ key, buffered: [], next: 0, done: false }));
  const fill = async (h: Head) => {
    if (h.buffered.length > 0 || h.done) return;
    const flat = await redis.zrevrange(h.key, h.next, h.next + page - 1, 'WITHSCORES');
    for (let i = 0; i + 1 < flat.length; i += 2) h.buffered.push([flat[i]!, Number(flat[i + 1])]);
    h.next += page;
    if (flat.length < page * 2) h.done = true;
  };
  for (;;) {
    await Promise.all(heads.map(fill));
    let best: Head | undefined;
    for (const h of heads) {
      const top = h.buffered[0];
      if (!top) continue;
      const lead = best?.buffered[0];
      if (!lead || top[1] > lead[1] || (top[1] === lead[1] && top[0] > lead[0])) best = h;
    }
    if (!best) return;
    yield best.buffered.shift()![0];
  }
}
