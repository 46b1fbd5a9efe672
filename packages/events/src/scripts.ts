import { readFileSync } from 'node:fs';
import type { Result } from 'ioredis';
import type { RedisClient } from './keys';

const lua = (name: string) => readFileSync(new URL(`./commands/${name}.lua`, import.meta.url), 'utf8');

/** The Lua function `append_event(stream, ids, subject_index, id, type, json, subject)`, for scripts of other packages that append events atomically with their own writes. */
export const appendEventLuaFunction = lua('lib-append-event');

const scripts = {
  scAppendEvent: { numberOfKeys: 3, lua: appendEventLuaFunction + lua('append-event') },
  scDeadLetter: { numberOfKeys: 3, lua: lua('dead-letter') },
  scTrimAcknowledged: { numberOfKeys: 2, lua: appendEventLuaFunction + lua('trim-acknowledged') },
};

declare module 'ioredis' {
  interface RedisCommander<Context> {
    scAppendEvent(
      stream: string,
      ids: string,
      subjectIndex: string,
      id: string,
      type: string,
      json: string | Buffer,
      subject: string,
    ): Result<[string, number], Context>;
    scDeadLetter(
      stream: string,
      deadLetters: string,
      failures: string,
      group: string,
      entryId: string,
      eventId: string,
      type: string,
      json: string,
      error: string,
      deliveries: string,
    ): Result<number, Context>;
    scTrimAcknowledged(
      stream: string,
      ids: string,
      bound: string,
      batch: string,
      subjectPrefix: string,
    ): Result<number, Context>;
  }
}

const installed = new WeakSet<RedisClient>();

/** Registers the event log's Lua scripts on a connection (ioredis runs them by SHA, loading when needed). */
export function withEventLogScripts(redis: RedisClient): RedisClient {
  if (!installed.has(redis)) {
    for (const [name, def] of Object.entries(scripts)) redis.defineCommand(name, def);
    installed.add(redis);
  }
  return redis;
}
