import { readFileSync } from 'node:fs';
import { appendEventLuaFunction, type RedisClient } from '@shotcaller/events';
import type { Result } from 'ioredis';

const read = (name: string) => readFileSync(new URL(`./commands/${name}.lua`, import.meta.url), 'utf8');
const shotCodesLuaFunctions = read('lib-shot-codes');
const lua = (name: string) => appendEventLuaFunction + shotCodesLuaFunctions + read(name);

declare module 'ioredis' {
  interface RedisCommander<Context> {
    scCreateShot(...keysAndArgs: Array<string | Buffer>): Result<[string, number], Context>;
    scTransitionShot(...keysAndArgs: Array<string | Buffer>): Result<string[], Context>;
    scIndexShotCodes(numberOfKeys: number, ...keysAndArgs: string[]): Result<number, Context>;
    scMoveShotKey(from: string, to: string): Result<number, Context>;
  }
}

/** What create-shot.lua answers, beside the id (and request fingerprint) it names. */
export const createShotOutcome = { existing: 0, created: 1, unindexed: 2, codeTaken: 3 } as const;

const installed = new WeakSet<RedisClient>();

export function withShotScripts(redis: RedisClient): RedisClient {
  if (!installed.has(redis)) {
    redis.defineCommand('scCreateShot', { numberOfKeys: 7, lua: lua('create-shot') });
    redis.defineCommand('scTransitionShot', { numberOfKeys: 5, lua: lua('transition-shot') });
    // Its keys are the page's shots, as many as there are.
    redis.defineCommand('scIndexShotCodes', { lua: shotCodesLuaFunctions + read('index-shot-codes') });
    redis.defineCommand('scMoveShotKey', { numberOfKeys: 2, lua: lua('move-shot-key') });
    installed.add(redis);
  }
  return redis;
}
