/**
 * Every key of one deployment starts with `{sc:<deployment>}:`. The braces are a Redis Cluster hash
 * tag: all keys hash to one slot, so the multi-key Lua scripts below (and BullMQ's) work on a cluster.
 */
export function deploymentPrefix(deployment: string): string {
  return `{sc:${deployment}}:`;
}

export interface EventLogKeys {
  /** The event stream itself. */
  stream: string;
  /** event id → stream entry id, so appending the same event twice stores it once. */
  ids: string;
  /** Events a group gave up on, with the error. */
  deadLetters: string;
  /** group → { stream entry id → failures and last error } for events a handler threw on. */
  failures(group: string): string;
  /** Entry ids of the events about one subject (a shot id), in order. */
  subject(subject: string): string;
}

export function eventLogKeys(deployment: string): EventLogKeys {
  const p = deploymentPrefix(deployment);
  return {
    stream: `${p}events`,
    ids: `${p}events:ids`,
    deadLetters: `${p}events:dead`,
    failures: (group) => `${p}events:failures:${group}`,
    subject: (subject) => `${p}events:subject:${subject}`,
  };
}

/** A connection to one Redis or to a Redis Cluster: the event log works on both. */
export type RedisClient = import('ioredis').Redis | import('ioredis').Cluster;
