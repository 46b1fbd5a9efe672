import { errorMessage, shotCodeOf } from '@shotcaller/contracts';
import { eventSource } from '@shotcaller/events';
import type { Logger } from '@shotcaller/platform';
import {
  bullPrefix,
  closeWorker,
  queueNames,
  type ShotJob,
  ShotJob as ShotJobSchema,
  type ShotStore,
  ticketIdOf,
} from '@shotcaller/shots';
import { type TicketClient, TicketInput, type TicketTermsInput } from '@shotcaller/vendor-tickets';
import { type ConnectionOptions, UnrecoverableError, Worker } from 'bullmq';

export interface VendorWorkerOptions {
  connection: ConnectionOptions;
  deployment: string;
  store: ShotStore;
  tickets: TicketClient;
  terms: TicketTermsInput;
  logger: Logger;
  concurrency?: number;
}

/**
 * Turns each shot on the vendor queue into a ticket: starts its Temporal workflow (which opens the
 * ticket in the vendor's tracker and moves the shot on) and records the workflow id on the shot.
 */
export class VendorWorker {
  private readonly worker: Worker<ShotJob, string>;

  constructor(private readonly options: VendorWorkerOptions) {
    this.worker = new Worker<ShotJob, string>(queueNames.vendor, (job) => this.run(job.id!, job.data), {
      connection: options.connection,
      prefix: bullPrefix(options.deployment),
      concurrency: options.concurrency ?? 4,
      autorun: false,
    });
    this.worker.on('failed', (job, error) =>
      options.logger.warn({ jobId: job?.id, err: error.message }, 'vendor ticket not started'),
    );
    // BullMQ keeps trying after these (a lost connection, a refused command); without a listener they reach stderr bare.
    this.worker.on('error', (error) =>
      options.logger.warn({ queue: this.worker.name, err: error.message }, 'vendor queue worker error'),
    );
  }

  start(): void {
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

  /** Stops taking tickets; one being opened finishes (within 15 s: see closeWorker). */
  async close(): Promise<void> {
    if ((await closeWorker(this.worker, 15_000)) === 'gave up')
      this.options.logger.warn({ queue: this.worker.name }, 'vendor queue worker did not close within 15 s');
  }

  private async run(jobId: string, data: unknown): Promise<string> {
    const parsed = ShotJobSchema.safeParse(data);
    if (!parsed.success)
      throw new UnrecoverableError(`Malformed vendor job ${jobId}: ${parsed.error.message}`);
    const shot = await this.options.store.get(parsed.data.shotId);
    // A job superseded by a cancel or a newer routing has nothing left to do.
    if (!shot || shot.workJobId !== jobId || shot.route !== 'vendor' || shot.vendorWorkflowId)
      return 'skipped';
    // In progress already: a retry of a job whose workflow started but whose id was not yet recorded.
    if (shot.state !== 'queued' && shot.state !== 'in-progress') return 'skipped';
    const r = shot.request;
    const estimate = shot.decision?.estimates.vendor.cost;
    if (!estimate)
      throw new UnrecoverableError(`Shot ${shot.id} has no vendor estimate to open a ticket with`);
    const input = TicketInput.parse({
      ticketId: ticketIdOf(shot.id),
      shotId: shot.id,
      show: shot.show,
      label: shotCodeOf(r),
      brief: r.brief,
      frames: r.frames,
      deadline: r.deadline,
      budgetLine: r.budgetLine,
      estimate,
      terms: this.options.terms,
    });
    const { workflowId, started } = await this.options.tickets.start(input);
    await this.options.store.change(shot.id, {
      patch: () => ({ vendorWorkflowId: workflowId }),
      events: () => [],
      source: eventSource(this.options.deployment, 'vendor-worker'),
      now: new Date(),
    });
    this.options.logger.info({ shotId: shot.id, workflowId, started }, 'vendor ticket started');
    return workflowId;
  }
}
