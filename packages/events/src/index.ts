export {
  compactEvent,
  compactJson,
  type EntryFields,
  expandEvent,
  expandJson,
  UnreadableStoredJson,
} from './compact-json';
export type { AppendResult, DeadLetter, EventLogOptions, GroupStatus } from './event-log';
export { EventLog } from './event-log';
export { decodeFeedCursor, encodeFeedCursor, InvalidFeedCursor } from './feed-cursor';
export type { ConsumerOptions, DeliveryContext, EventHandler } from './group-consumer';
export { ensureGroup, GroupConsumer } from './group-consumer';
export { deploymentPrefix, type EventLogKeys, eventLogKeys, type RedisClient } from './keys';
export { claimPartitionCount, deploymentRecordKey, PartitionCountMismatch } from './partition-count';
export {
  deploymentOfKeyspace,
  eventSource,
  fnv1a32,
  InvalidPartitions,
  maxPartitions,
  Partitions,
  parsePartitionSet,
  partitionKeyspace,
  partitionOfKeyspace,
  partitionOfShotId,
  partitionOfShow,
  shotIdPrefix,
  shotIdPrefixOfKeyspace,
} from './partitions';
export { isRedisUnreachable } from './redis-unreachable';
export { awaitReplicas, type ReplicaAcks, ReplicationTimeout, requireReplicaAcks } from './replica-acks';
export { type GroupPosition, safeTrimBound } from './retention';
export { appendEventLuaFunction, withEventLogScripts } from './scripts';
export { type RawBufferEntry, type StoredEvent, toStoredEvent } from './stream-entry';
export { compareStreamIds, nextStreamId, streamIdTime } from './stream-id';
