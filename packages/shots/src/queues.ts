import { deploymentPrefix } from '@shotcaller/events';
import { type ConnectionOptions, Queue, type QueueOptions, type Worker } from 'bullmq';
import { z } from 'zod';

export const queueNames = { vendor: 'vendor', notify: 'notify' } as const;
export type QueueName = (typeof queueNames)[keyof typeof queueNames] | `genai-${string}`;

/** Each genai provider has a queue of its own, so its concurrency and rate limit are its own. */
export function genaiQueueName(provider: string): `genai-${string}` {
  return `genai-${provider}`;
}

/** The queue a routed shot waits in: the vendor queue, or its genai provider's. */
export function workQueueName(route: 'genai' | 'vendor', provider: string | undefined): QueueName {
  return route === 'vendor' ? queueNames.vendor : genaiQueueName(provider ?? 'local');
}

/** BullMQ keys sit under the deployment's hash tag too, so its multi-key scripts work on Redis Cluster. */
export function bullPrefix(deployment: string): string {
  return `${deploymentPrefix(deployment)}bull`;
}

/** What the genai and vendor queues carry: only the shot id; the store holds the rest. */
export const ShotJob = z.strictObject({ shotId: z.string().min(1), attempt: z.int().positive() });
export type ShotJob = z.infer<typeof ShotJob>;

/** Job id of a shot on a queue: one job per shot and attempt, so a repeated add is a no-op. */
export function shotJobId(job: ShotJob, step = ''): string {
  return `${job.shotId}-a${job.attempt}${step ? `-${step}` : ''}`;
}

export const priorities = { urgent: 1, high: 2, normal: 3, low: 4 } as const;

export function createQueue(
  name: QueueName,
  connection: ConnectionOptions,
  deployment: string,
  options: Partial<QueueOptions> = {},
): Queue<ShotJob> {
  return new Queue<ShotJob>(name, {
    connection,
    prefix: bullPrefix(deployment),
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000 },
      // A finished job has nothing to tell: the shot store and the event log are the record, and every
      // worker checks the shot's state, so a job added again after its twin was removed changes nothing.
      removeOnComplete: true,
      removeOnFail: { age: 14 * 24 * 3600 },
    },
    // Nobody reads BullMQ's per-queue event streams (our events are the log); keep them short.
    streams: { events: { maxLen: 100 } },
    ...options,
  });
}

/** The work queues a router enqueues to, opened on first use: vendor, and one per genai provider. */
export class WorkQueues {
  private readonly open = new Map<string, Queue<ShotJob>>();

  constructor(
    private readonly connection: ConnectionOptions,
    private readonly deployment: string,
  ) {}

  queueFor(route: 'genai' | 'vendor', provider: string | undefined): Queue<ShotJob> {
    const name = workQueueName(route, provider);
    let queue = this.open.get(name);
    if (!queue) {
      queue = createQueue(name, this.connection, this.deployment);
      this.open.set(name, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.values()].map((q) => q.close()));
  }
}

/**
 * Closes a BullMQ worker, letting the jobs in its hands finish, but waits at most `graceMs`: BullMQ's
 * close can wait forever on a connection to a Redis node that is gone, such as a cluster master just
 * failed over (taskforcesh/bullmq#4656). Past the grace, the caller goes on stopping; a job still in
 * hand is taken up by another worker once its lock runs out, as after a crash.
 */
export async function closeWorker(worker: Worker, graceMs: number): Promise<'closed' | 'gave up'> {
  let timer: NodeJS.Timeout | undefined;
  const closing = worker.close().then(() => 'closed' as const);
  // Settles after the grace when it settles at all; nothing is left to do with it then.
  closing.catch(() => undefined);
  const late = new Promise<'gave up'>((resolve) => {
    timer = setTimeout(() => resolve('gave up'), graceMs);
  });
  try {
    return await Promise.race([closing, late]);
  } finally {
    clearTimeout(timer);
  }
}
