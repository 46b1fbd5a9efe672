import { ShotcallerError } from '@shotcaller/contracts';

export class InvalidFeedCursor extends ShotcallerError {
  readonly code = 'invalid_cursor';
}

const entryId = /^\d+-\d+$/;

/**
 * Where a reader of the event feed is in each partition's stream. With one partition it is the stream
 * entry id itself (what older clients hold); with more, the entry ids of every partition joined by
 * `_`, so resuming from it misses nothing and repeats nothing in any partition.
 */
export function encodeFeedCursor(positions: readonly string[]): string {
  return positions.join('_');
}

export function decodeFeedCursor(text: string, partitions: number): string[] {
  const positions = text.split('_');
  if (!positions.every((p) => entryId.test(p)))
    throw new InvalidFeedCursor(
      `"${text.slice(0, 80)}" is not a position in the event feed (resume with the id of the last event received)`,
    );
  if (positions.length !== partitions)
    throw new InvalidFeedCursor(
      `This position names ${positions.length} partition${positions.length === 1 ? '' : 's'} and this deployment has ${partitions}; start without one`,
    );
  return positions;
}
