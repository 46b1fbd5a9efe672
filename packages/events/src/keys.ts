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
  /** event id → stream entry id for events with no subject, so appending one twice stores it once. */
  ids: string;
  /** Events a group gave up on, with the error. */
  deadLetters: string;
  /** group → { stream entry id → failures and last error } for events a handler threw on. */
  failures(group: string): string;
  /** The events about one subject (a shot id): event id → stream entry id. It also de-duplicates them. */
  subject(subject: string): string;
  /**
   * The Pub/Sub channel of live events: those the catalogue marks live (progress) are published here
   * for whoever is watching and never enter the durable log.
   */
  live: string;
  /** The list of entry ids an older version kept per subject; read only for shots it indexed. */
  legacySubject(subject: string): string;
  /** What `subject(s)` puts before `s`, for scripts that derive subject keys from stream entries. */
  subjectPrefix: string;
}

export function eventLogKeys(deployment: string): EventLogKeys {
  const p = deploymentPrefix(deployment);
  return {
    stream: `${p}events`,
    ids: `${p}events:ids`,
    deadLetters: `${p}events:dead`,
    failures: (group) => `${p}events:failures:${group}`,
    subject: (subject) => `${p}events:by-subject:${subject}`,
    legacySubject: (subject) => `${p}events:subject:${subject}`,
    subjectPrefix: `${p}events:by-subject:`,
    live: `${p}events:live`,
  };
}

/** A connection to one Redis or to a Redis Cluster: the event log works on both. */
export type RedisClient = import('ioredis').Redis | import('ioredis').Cluster;
