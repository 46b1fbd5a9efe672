import { errorMessage, parseEvent } from '@shotcaller/contracts';
import { EventLog, type GroupConsumer, type RedisClient } from '@shotcaller/events';
import type { Logger, ShotcallerConfig } from '@shotcaller/platform';
import { bullPrefix, closeWorker, queueNames } from '@shotcaller/shots';
import { type ConnectionOptions, type Job, Queue, Worker } from 'bullmq';
import { createTransport, type Transporter } from 'nodemailer';
import { deliver } from './deliver';
import { type Target, wants } from './targets';

interface NotifyJob {
  targetId: string;
  event: string;
}

export interface NotifierOptions {
  redis: RedisClient;
  connection: ConnectionOptions;
  config: ShotcallerConfig;
  logger: Logger;
  consumerName: string;
  clock?: () => Date;
}

export interface DeadNotification {
  jobId: string;
  targetId: string;
  eventId: string;
  type: string;
  error: string;
  attempts: number;
}

/**
 * The notifier role. A consumer group on the event log turns each wanted event into one job per target
 * on the notify queue (job id = target + event id, so an event seen twice is sent once); a BullMQ worker
 * delivers with retries and backoff; what runs out of attempts stays in the failed set for an admin.
 */
export class Notifier {
  readonly queue: Queue<NotifyJob>;
  private readonly worker: Worker<NotifyJob>;
  private readonly consumer: GroupConsumer;
  private readonly targets: Map<string, Target>;
  private readonly mailer: Transporter | undefined;

  constructor(private readonly options: NotifierOptions) {
    const { config } = options;
    const prefix = bullPrefix(config.deployment);
    this.targets = new Map<string, Target>([
      ...config.notify.webhooks.map((w) => [`webhook:${w.id}`, { kind: 'webhook' as const, ...w }] as const),
      ...config.notify.email.map((e) => [`email:${e.id}`, { kind: 'email' as const, ...e }] as const),
    ]);
    this.mailer = config.notify.smtp
      ? createTransport({
          host: config.notify.smtp.host,
          port: config.notify.smtp.port,
          secure: config.notify.smtp.secure,
          ...(config.notify.smtp.user
            ? { auth: { user: config.notify.smtp.user, pass: config.notify.smtp.password ?? '' } }
            : {}),
        })
      : undefined;
    this.queue = new Queue<NotifyJob>(queueNames.notify, {
      connection: options.connection,
      prefix,
      defaultJobOptions: {
        attempts: config.notify.attempts,
        backoff: { type: 'exponential', delay: config.notify.backoffMs },
        removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
        removeOnFail: false,
      },
    });
    this.worker = new Worker<NotifyJob>(queueNames.notify, (job) => this.deliverJob(job), {
      connection: options.connection,
      prefix,
      concurrency: 8,
      autorun: false,
    });
    this.worker.on('failed', (job, error) =>
      options.logger.warn(
        { target: job?.data.targetId, attempt: job?.attemptsMade, err: error.message },
        'notification not delivered',
      ),
    );
    // BullMQ keeps trying after these (a lost connection, a refused command); without a listener they reach stderr bare.
    this.worker.on('error', (error) =>
      options.logger.warn({ queue: this.worker.name, err: error.message }, 'notify queue worker error'),
    );
    this.consumer = new EventLog(options.redis, { deployment: config.deployment }).consumer({
      group: 'notifier',
      consumer: options.consumerName,
      startAt: '$',
      claimIdleMs: config.events.claimIdleMs,
      maxDeliveries: config.events.maxDeliveries,
      handler: async (event) => {
        const jobs = [...this.targets.entries()]
          .filter(([, target]) => wants(target, event))
          .map(([targetId]) => ({
            name: targetId,
            data: { targetId, event: JSON.stringify(event) },
            opts: { jobId: `${targetId}:${event.id}`.replace(/:/g, '_') },
          }));
        if (jobs.length > 0) await this.queue.addBulk(jobs);
      },
      onError: (error, info) =>
        options.logger.warn(
          { err: errorMessage(error), ...info },
          info.deadLettered
            ? 'notifier gave up on an event'
            : 'event not queued for notification; it will be retried',
        ),
    });
  }

  async start(): Promise<void> {
    await this.consumer.start();
    // run() settles only when the worker stops; a rejection means it stopped on an error, which must be seen.
    this.worker
      .run()
      .catch((error: unknown) =>
        this.options.logger.error(
          { err: errorMessage(error), queue: this.worker.name },
          'queue worker stopped on an error',
        ),
      );
  }

  async close(): Promise<void> {
    await this.consumer.stop();
    // A delivery in hand finishes (within 15 s: see closeWorker); an unfinished one is sent again later.
    if ((await closeWorker(this.worker, 15_000)) === 'gave up')
      this.options.logger.warn({ queue: this.worker.name }, 'notify queue worker did not close within 15 s');
    await this.queue.close();
    this.mailer?.close();
  }

  /** Notifications that ran out of attempts, for an admin to look at and re-drive. */
  async deadLetters(): Promise<DeadNotification[]> {
    const jobs = await this.queue.getFailed(0, 999);
    return jobs.map((job) => {
      const event = JSON.parse(job.data.event) as { id: string; type: string };
      return {
        jobId: job.id ?? '',
        targetId: job.data.targetId,
        eventId: event.id,
        type: event.type,
        error: job.failedReason,
        attempts: job.attemptsMade,
      };
    });
  }

  /** Sends a dead-lettered notification again, with a fresh set of attempts. */
  async redrive(jobId: string): Promise<void> {
    const job = await this.queue.getJob(jobId);
    if (!job) throw new Error(`No notification ${jobId}`);
    await job.retry('failed', { resetAttemptsMade: true });
  }

  private async deliverJob(job: Job<NotifyJob>): Promise<void> {
    const target = this.targets.get(job.data.targetId);
    // A target removed from the configuration since: nothing to deliver to.
    if (!target) return;
    const event = parseEvent(JSON.parse(job.data.event));
    await deliver(target, event, {
      ...(this.mailer ? { mailer: this.mailer } : {}),
      from: this.options.config.notify.smtp?.from ?? '',
      now: this.options.clock ?? (() => new Date()),
    });
  }
}
