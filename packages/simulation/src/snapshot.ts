import { BudgetProjection } from '@shotcaller/budget';
import { ConsentRegistry } from '@shotcaller/compliance';
import type { ShotcallerEvent } from '@shotcaller/contracts';
import { EventLog, eventLogKeys, type RedisClient } from '@shotcaller/events';
import { foldShots } from '@shotcaller/reports';
import { foldHistories } from './shot-history';

/**
 * What a what-if reads, all of it before computing: the show's events up to the log's last entry at
 * the moment of reading (traffic after that is not in the answer), the consents and approvals on
 * file, and the show's budget lines. Reads only.
 */
export async function readSnapshot(
  redis: RedisClient,
  deployment: string,
  show: string,
  clock: () => Date = () => new Date(),
) {
  const log = new EventLog(redis, { deployment });
  const last = await redis.xrevrange(eventLogKeys(deployment).stream, '+', '-', 'COUNT', 1);
  const upTo = last[0]?.[0] ?? '0-0';
  const at = clock();
  const events: ShotcallerEvent[] = [];
  if (last.length > 0)
    for await (const { event } of log.replay({ to: upTo, batch: 1000 }))
      if (event.show === show) events.push(event);
  const registry = new ConsentRegistry(redis, deployment);
  const [consents, approvals, lines] = await Promise.all([
    registry.listConsents(),
    registry.approvalsFor(show),
    new BudgetProjection(redis, deployment).lines(show),
  ]);
  return {
    histories: foldHistories(events),
    labour: foldShots(events).shots,
    consents: consents.filter((c) => !c.revoked).map(({ revoked: _, ...c }) => c),
    approvals,
    lines,
    snapshot: { upTo, at },
  };
}
