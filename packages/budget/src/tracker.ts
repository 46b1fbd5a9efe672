import { type ConsumerOptions, EventLog, type GroupConsumer, type RedisClient } from '@shotcaller/events';
import { BudgetProjection, ledgerEventTypes } from './projection';

export interface BudgetTrackerOptions {
  redis: RedisClient;
  deployment: string;
  consumerName: string;
  claimIdleMs?: number;
  maxDeliveries?: number;
  blockMs?: number;
  /** Told about every failed event, with its entry and event ids, for logging. */
  onError?: ConsumerOptions['onError'];
  /** Told of a fact not counted because its event is not in the log (lost in a failover). */
  onLostEvent?: (lost: { shotId: string; eventId: string }) => void;
}

/** The budget role: a consumer group on the event log applying every event to the ledger. Several may run at once. */
export function startBudgetTracker(options: BudgetTrackerOptions): {
  consumer: GroupConsumer;
  projection: BudgetProjection;
  start(): Promise<void>;
  stop(): Promise<void>;
} {
  const projection = new BudgetProjection(options.redis, options.deployment, undefined, options.onLostEvent);
  const consumer = new EventLog(options.redis, { deployment: options.deployment }).consumer({
    group: 'budget',
    consumer: options.consumerName,
    types: ledgerEventTypes,
    handler: (event) => projection.apply(event),
    batchHandler: (events) => projection.applyMany(events),
    ...(options.claimIdleMs ? { claimIdleMs: options.claimIdleMs } : {}),
    ...(options.maxDeliveries ? { maxDeliveries: options.maxDeliveries } : {}),
    ...(options.blockMs ? { blockMs: options.blockMs } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  return { consumer, projection, start: () => consumer.start(), stop: () => consumer.stop() };
}
