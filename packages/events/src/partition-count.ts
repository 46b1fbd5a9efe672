import { ShotcallerError } from '@shotcaller/contracts';
import { deploymentPrefix, eventLogKeys, type RedisClient } from './keys';

export class PartitionCountMismatch extends ShotcallerError {
  readonly code = 'partition_count_mismatch';
  constructor(
    readonly deployment: string,
    readonly stored: number,
    readonly configured: number,
  ) {
    super(
      `Deployment ${deployment} was created with ${stored} partition${stored === 1 ? '' : 's'}, but this ` +
        `configuration says ${configured}. Shows are placed by the count, so it cannot change in place: set ` +
        `redis.partitions (SHOTCALLER_REDIS_PARTITIONS) to ${stored}, or create a new deployment.`,
    );
  }
}

/** Where a deployment records how many partitions it was created with. */
export function deploymentRecordKey(deployment: string): string {
  return `${deploymentPrefix(deployment)}deployment`;
}

/**
 * Records the partition count on a deployment's first start and checks it on every later one: a
 * different count would silently re-hash shows into other partitions, so it is refused instead. A
 * deployment that has events but no record was made before partitions existed: it has one.
 */
export async function claimPartitionCount(
  redis: RedisClient,
  deployment: string,
  configured: number,
): Promise<number> {
  const key = deploymentRecordKey(deployment);
  const stored = await redis.hget(key, 'partitions');
  if (stored !== null) {
    if (Number(stored) !== configured)
      throw new PartitionCountMismatch(deployment, Number(stored), configured);
    return configured;
  }
  const legacy = (await redis.exists(eventLogKeys(deployment).stream)) === 1 ? 1 : undefined;
  const claimed = legacy ?? configured;
  // HSETNX: two processes starting at once agree on whichever wrote first.
  await redis.hsetnx(key, 'partitions', String(claimed));
  const now = Number(await redis.hget(key, 'partitions'));
  if (now !== configured) throw new PartitionCountMismatch(deployment, now, configured);
  return configured;
}
