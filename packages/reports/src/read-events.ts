import type { ShotcallerEvent } from '@shotcaller/contracts';
import { EventLog, type RedisClient } from '@shotcaller/events';

/**
 * A show's events off the log, oldest first: the reading edge of the labour report. Only this changes
 * when the log is split into partitions; the fold stays as it is.
 */
export async function readShowEvents(
  redis: RedisClient,
  deployment: string,
  show: string,
): Promise<ShotcallerEvent[]> {
  const events: ShotcallerEvent[] = [];
  for await (const { event } of new EventLog(redis, { deployment }).replay({ batch: 1000 }))
    if (event.show === show) events.push(event);
  return events;
}
