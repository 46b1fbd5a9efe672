import { describe, expect, it } from 'vitest';
import {
  fnv1a32,
  InvalidPartitions,
  Partitions,
  parsePartitionSet,
  partitionKeyspace,
  partitionOfShotId,
  partitionOfShow,
  shotIdPrefix,
} from '../src/partitions';

describe('partitions', () => {
  it('hashes show codes with FNV-1a 32 (the published test vectors), so placement never drifts', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('places a show in one partition, the same one every time, and spreads a dozen shows', () => {
    const shows = Array.from({ length: 12 }, (_, i) => `SHOW${i}`);
    const placed = shows.map((s) => partitionOfShow(s, 4));
    expect(shows.map((s) => partitionOfShow(s, 4))).toEqual(placed);
    expect(placed.every((k) => k >= 0 && k < 4)).toBe(true);
    expect(new Set(placed).size).toBeGreaterThan(1);
    expect(partitionOfShow('ANY', 1)).toBe(0);
  });

  it('keeps the deployment keyspace for one partition and tags each partition otherwise', () => {
    expect(partitionKeyspace('studio', 0, 1)).toBe('studio');
    expect(partitionKeyspace('studio', 3, 8)).toBe('studio:p3');
  });

  it('reads the partition from a shot id, and no partition from an id no shot can have', () => {
    expect(shotIdPrefix(5, 8)).toBe('sh-p5-');
    expect(partitionOfShotId('sh-p5-0190abcd', 8)).toBe(5);
    expect(partitionOfShotId('sh-p9-0190abcd', 8)).toBeUndefined();
    expect(partitionOfShotId('sh-0190abcd', 8)).toBeUndefined();
    expect(partitionOfShotId('sh-0190abcd', 1)).toBe(0);
  });

  it('parses subsets and refuses what does not exist, naming the count', () => {
    expect(parsePartitionSet('0-3,8,10-11', 16)).toEqual([0, 1, 2, 3, 8, 10, 11]);
    expect(parsePartitionSet('2,1,2', 4)).toEqual([1, 2]);
    expect(() => parsePartitionSet('0-8', 8)).toThrow(/has 8 partitions \(0-7\)/);
    expect(() => parsePartitionSet('5-2', 8)).toThrow(InvalidPartitions);
    expect(() => parsePartitionSet('x', 8)).toThrow(/not a partition/);
  });

  it('refuses a count out of range', () => {
    expect(() => new Partitions('d', 0)).toThrow(InvalidPartitions);
    expect(() => new Partitions('d', 1.5)).toThrow(InvalidPartitions);
    const p = new Partitions('d', 4, [1, 2]);
    expect(p.serves(1)).toBe(true);
    expect(p.serves(0)).toBe(false);
    expect(p.all).toEqual([0, 1, 2, 3]);
    expect(p.keyspaceOfShow('NTH')).toBe(`d:p${partitionOfShow('NTH', 4)}`);
  });
});
