import type { ShotcallerEvent } from '@shotcaller/contracts';
import { EventLog, type RedisClient } from '@shotcaller/events';

/**
 * A show's events off its partition's log, oldest first: the reading edge of the labour report.
 * `keyspace` is the show's partition (`Partitions.keyspaceOfShow`).
 */
export async function readShowEvents(
  redis: RedisClient,
  keyspace: string,
  show: string,
): Promise<ShotcallerEvent[]> {
  const events: ShotcallerEvent[] = [];
  for await (const { event } of new EventLog(redis, { deployment: keyspace }).replay({ batch: 1000 }))
    if (event.show === show) events.push(event);
  return events;
}
