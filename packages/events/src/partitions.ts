/**
 * A deployment is split into a fixed number of partitions, and a show belongs to exactly one. Each
 * partition has a hash tag of its own (`{sc:<deployment>:p<k>}`), so everything that changes atomically
 * for a show lives in one Redis Cluster slot while different partitions spread over the masters.
 *
 * One partition is the default, and its keyspace is the deployment's own (`{sc:<deployment>}`): a
 * deployment made before partitions existed is a one-partition deployment with nothing to migrate.
 * Deployment-wide records (the partition count itself, rate limits) live in that keyspace too.
 */

import { ShotcallerError } from '@shotcaller/contracts';

export const maxPartitions = 1024;

export class InvalidPartitions extends ShotcallerError {
  readonly code = 'invalid_partitions';
}

/**
 * FNV-1a (32 bit) over the show code's UTF-8 bytes. It is part of the stored layout: changing it would
 * move shows between partitions, so it is pinned by test vectors.
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function partitionOfShow(show: string, count: number): number {
  return count === 1 ? 0 : fnv1a32(show) % count;
}

/** The keyspace (what `deploymentPrefix` wraps in braces) of partition `k`. */
export function partitionKeyspace(deployment: string, k: number, count: number): string {
  return count === 1 ? deployment : `${deployment}:p${k}`;
}

/** The partition a keyspace belongs to: `<deployment>:p<k>` is partition k; a bare deployment is one partition. */
export function partitionOfKeyspace(keyspace: string): number | undefined {
  const match = /:p(\d{1,4})$/.exec(keyspace);
  return match ? Number(match[1]) : undefined;
}

/** The deployment a keyspace belongs to. */
export function deploymentOfKeyspace(keyspace: string): string {
  return keyspace.replace(/:p\d{1,4}$/, '');
}

/**
 * The CloudEvents `source` of what a role writes: the deployment and the role, whichever partition
 * it serves, so an event copied into several partitions (a consent spanning shows) stays one event.
 */
export function eventSource(keyspace: string, role: string): string {
  return `/shotcaller/${deploymentOfKeyspace(keyspace)}/${role}`;
}

/** The prefix of new shot ids made in a keyspace. */
export function shotIdPrefixOfKeyspace(keyspace: string): string {
  const k = partitionOfKeyspace(keyspace);
  return k === undefined ? 'sh-' : `sh-p${k}-`;
}

const shotIdPartition = /^sh-p(\d{1,4})-/;

/** The prefix of new shot ids in partition `k`: a shot's id says where it lives, so a lookup by id is one read. */
export function shotIdPrefix(k: number, count: number): string {
  return count === 1 ? 'sh-' : `sh-p${k}-`;
}

/** The partition a shot id names, or undefined for an id no shot of this deployment can have. */
export function partitionOfShotId(id: string, count: number): number | undefined {
  if (count === 1) return 0;
  const match = shotIdPartition.exec(id);
  if (!match) return undefined;
  const k = Number(match[1]);
  return k < count ? k : undefined;
}

/**
 * Parses a subset such as `0-7`, `3`, or `0-3,8,10-11` against the deployment's count. Every partition
 * is served when no subset is given.
 */
export function parsePartitionSet(text: string, count: number): number[] {
  const out = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!match)
      throw new InvalidPartitions(
        `"${part}" is not a partition or a range of partitions (write e.g. 0-7 or 0-3,8)`,
      );
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) throw new InvalidPartitions(`the range ${part} runs backwards`);
    if (to >= count)
      throw new InvalidPartitions(
        `partition ${to} does not exist: this deployment has ${count} partition${count === 1 ? '' : 's'} (0-${count - 1})`,
      );
    for (let k = from; k <= to; k++) out.add(k);
  }
  return [...out].sort((a, b) => a - b);
}

/** A deployment's partitions and those this process serves. */
export class Partitions {
  readonly served: readonly number[];

  constructor(
    readonly deployment: string,
    readonly count: number,
    served?: readonly number[],
  ) {
    if (!Number.isInteger(count) || count < 1 || count > maxPartitions)
      throw new InvalidPartitions(
        `partitions must be a whole number from 1 to ${maxPartitions}, not ${count}`,
      );
    this.served = served ?? Array.from({ length: count }, (_, k) => k);
  }

  get all(): number[] {
    return Array.from({ length: this.count }, (_, k) => k);
  }

  /** The keyspace of deployment-wide records. */
  get globalKeyspace(): string {
    return this.deployment;
  }

  keyspace(k: number): string {
    return partitionKeyspace(this.deployment, k, this.count);
  }

  ofShow(show: string): number {
    return partitionOfShow(show, this.count);
  }

  ofShotId(id: string): number | undefined {
    return partitionOfShotId(id, this.count);
  }

  keyspaceOfShow(show: string): string {
    return this.keyspace(this.ofShow(show));
  }

  serves(k: number): boolean {
    return this.served.includes(k);
  }
}
