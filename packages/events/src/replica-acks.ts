import { mustReachReplicas, ShotcallerError } from '@shotcaller/contracts';
import type { RedisClient } from './keys';

export interface ReplicaAcks {
  /** How many replicas must have a critical write before it is acknowledged. */
  replicas: number;
  /** How long to wait for them. */
  timeoutMs: number;
}

export class ReplicationTimeout extends ShotcallerError {
  readonly code = 'replication_timeout';
  constructor(
    readonly wanted: number,
    readonly acknowledged: number,
    readonly timeoutMs: number,
  ) {
    super(
      `The write reached ${acknowledged} of ${wanted} Redis replica${wanted === 1 ? '' : 's'} within ${timeoutMs} ms, so it is not acknowledged: it may be lost if the master fails now. It is safe to send again (it is idempotent); if this persists, check the replicas (docs/operations.md#failover).`,
    );
  }
}

/** The acknowledgement each connection's critical writes wait for, set once where the connection is made. */
const settings = new WeakMap<object, ReplicaAcks>();

export function requireReplicaAcks(redis: RedisClient, acks: ReplicaAcks): void {
  if (acks.replicas > 0) settings.set(redis, acks);
  else settings.delete(redis);
}

/**
 * After a write that appended any of `types`, waits until the configured number of replicas have
 * every write this connection made (Redis `WAIT`). It is sent with a read of `keyInSlot`, so on a
 * cluster it goes to the master that took the write, on the connection that carried it.
 */
export async function awaitReplicas(
  redis: RedisClient,
  keyInSlot: string,
  types: readonly string[],
): Promise<void> {
  const acks = settings.get(redis);
  if (!acks || !types.some(mustReachReplicas)) return;
  const replies = (await redis.pipeline().exists(keyInSlot).wait(acks.replicas, acks.timeoutMs).exec()) ?? [];
  const [error, acknowledged] = replies[1] ?? [new Error('no reply to WAIT'), 0];
  if (error) throw error;
  if (Number(acknowledged) < acks.replicas)
    throw new ReplicationTimeout(acks.replicas, Number(acknowledged), acks.timeoutMs);
}
