import { readFileSync } from 'node:fs';
import { appendEventLuaFunction, type RedisClient } from '@shotcaller/events';
import type { Result } from 'ioredis';

const lua = (name: string) =>
  appendEventLuaFunction + readFileSync(new URL(`./commands/${name}.lua`, import.meta.url), 'utf8');

declare module 'ioredis' {
  interface RedisCommander<Context> {
    scCreateShot(...keysAndArgs: Array<string | Buffer>): Result<[string, number], Context>;
    scTransitionShot(...keysAndArgs: Array<string | Buffer>): Result<string[], Context>;
    scMoveShotKey(from: string, to: string): Result<number, Context>;
  }
}

const installed = new WeakSet<RedisClient>();

export function withShotScripts(redis: RedisClient): RedisClient {
  if (!installed.has(redis)) {
    redis.defineCommand('scCreateShot', { numberOfKeys: 6, lua: lua('create-shot') });
    redis.defineCommand('scTransitionShot', { numberOfKeys: 4, lua: lua('transition-shot') });
    redis.defineCommand('scMoveShotKey', { numberOfKeys: 2, lua: lua('move-shot-key') });
    installed.add(redis);
  }
  return redis;
}
