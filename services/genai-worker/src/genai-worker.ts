import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type EventDraft,
  errorMessage,
  eventFromDraft,
  type Money,
  makeEvent,
  type ShotcallerError,
} from '@shotcaller/contracts';
import { EventLog, eventSource, type RedisClient } from '@shotcaller/events';
import {
  chargedUsage,
  type GenaiAdapter,
  GenerationCancelled,
  type Progress,
  seedFor,
} from '@shotcaller/genai';
import type { Logger } from '@shotcaller/platform';
import {
  bullPrefix,
  closeWorker,
  genaiQueueName,
  IllegalTransition,
  pending,
  type ShotJob,
  ShotJob as ShotJobSchema,
  type ShotRecord,
  type ShotStore,
} from '@shotcaller/shots';
import { type ArtifactStore, outputPrefix, StorageUnavailable } from '@shotcaller/storage';
import { type ConnectionOptions, DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import { publishOutputs } from './publish-outputs';
import { type CredentialSettings, credentialFacts, hashReferences, signOutputs } from './sign-outputs';

export interface GenaiWorkerOptions {
  connection: ConnectionOptions;
  redis: RedisClient;
  deployment: string;
  store: ShotStore;
  /** The provider this worker serves: it consumes that provider's queue only. */
  provider: string;
  adapter: GenaiAdapter;
  /** At most `max` tasks started per `duration` ms: the provider's rate limit. */
  limiter?: { max: number; duration: number };
  /** Turns a task's usage into money, with the rate card of its provider; `delivered: false` for an attempt that delivered nothing. */
  price(
    provider: string,
    usage: { unit: string; quantity: number },
    shot: ShotRecord,
    options?: { delivered: boolean },
  ): Money;
  /** Scratch space: adapters write here, and the files go to the artifact store from here. */
  dataDir: string;
  /** Where outputs and their Content Credentials are kept, and how events reference them. */
  artifacts: ArtifactStore;
  /** Who signs the outputs' Content Credentials (docs/provenance.md). */
  credentials: CredentialSettings;
  /** A task that meets an unavailable store waits this long, then runs again (without using up a retry). */
  storageRetryDelayMs?: number;
  logger: Logger;
  concurrency?: number;
  /** A task that runs longer is cancelled and retried. */
  taskTimeoutMs?: number;
  /** A worker that stops renewing its lock this long is presumed dead and its task is handed to another. */
  lockDurationMs?: number;
  /** How often a running task checks whether its shot was cancelled or rerouted. */
  watchIntervalMs?: number;
  clock?: () => Date;
}

export type GenaiOutcome = 'delivered' | 'skipped' | 'cancelled' | 'rerouted';

/**
 * The genai-worker role: a BullMQ worker on the genai queue. It moves the shot to in-progress, runs the
 * provider adapter with progress events, signs every output's Content Credentials, records usage and completion
 * under deterministic event ids (a task re-run after a crash counts once), and delivers the shot.
 */
export class GenaiWorker {
  readonly worker: Worker<ShotJob, GenaiOutcome>;
  private readonly log: EventLog;
  private readonly clock: () => Date;
  private readonly source: string;

  constructor(private readonly options: GenaiWorkerOptions) {
    this.log = new EventLog(options.redis, { deployment: options.deployment });
    this.clock = options.clock ?? (() => new Date());
    this.source = eventSource(options.deployment, 'genai-worker');
    this.worker = new Worker<ShotJob, GenaiOutcome>(
      genaiQueueName(options.provider),
      (job, token, signal) => this.run(job, token, signal),
      {
        connection: options.connection,
        prefix: bullPrefix(options.deployment),
        concurrency: options.concurrency ?? 2,
        lockDuration: options.lockDurationMs ?? 30_000,
        ...(options.limiter ? { limiter: options.limiter } : {}),
        stalledInterval: Math.max(500, Math.floor((options.lockDurationMs ?? 30_000) / 2)),
        autorun: false,
      },
    );
    this.worker.on('failed', (job, error) =>
      options.logger.warn({ shotId: job?.data.shotId, err: error.message }, 'genai task failed'),
    );
    // BullMQ keeps trying after these (a lost connection, a refused command); without a listener they reach stderr bare.
    this.worker.on('error', (error) =>
      options.logger.warn({ queue: this.worker.name, err: error.message }, 'genai queue worker error'),
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

  /**
   * Stops taking work; tasks in hand finish (or, on a hard kill, BullMQ hands them to another worker).
   * Waits at most as long as a task may run: BullMQ's close can hang on a Redis node that is gone.
   */
  async close(): Promise<void> {
    const graceMs = this.options.taskTimeoutMs ?? 30 * 60_000;
    if ((await closeWorker(this.worker, graceMs)) === 'gave up')
      this.options.logger.warn(
        { queue: this.worker.name, graceMs },
        'genai queue worker did not close in time',
      );
  }

  private async run(job: Job<ShotJob>, token?: string, bullSignal?: AbortSignal): Promise<GenaiOutcome> {
    const { store } = this.options;
    const { shotId } = ShotJobSchema.parse(job.data);
    let shot = await store.get(shotId);
    // A job superseded by a reroute, a cancel or a retry has nothing left to do.
    if (!shot || shot.workJobId !== job.id || (shot.state !== 'queued' && shot.state !== 'in-progress'))
      return 'skipped';
    const { provider, adapter } = this.options;
    if ((shot.provider ?? provider) !== provider)
      throw new UnrecoverableError(`Shot ${shotId} is for provider ${shot.provider}, not ${provider}`);
    const taskId = job.id!;
    const now = this.clock();
    if (shot.state === 'queued') {
      ({ shot } = await store.change(shotId, {
        to: 'in-progress',
        current: shot,
        // The task id is the work job's, which names the queued version: it starts once.
        idsUniqueToMove: true,
        events: (s) => [
          pending('io.shotcaller.shot.started.v1', { shotId, route: 'genai' }, `${taskId}-started`),
          pending(
            'io.shotcaller.genai.task.started.v1',
            { shotId, taskId, provider, model: adapter.name, reservation: s.decision!.estimates.genai.cost },
            `${taskId}-task-started`,
          ),
        ],
        source: this.source,
        now,
      }));
    }

    const abort = new AbortController();
    const stopWatching = this.watch(shotId, taskId, abort);
    const timeout = AbortSignal.timeout(this.options.taskTimeoutMs ?? 30 * 60_000);
    const signals = [abort.signal, ...(bullSignal ? [bullSignal] : []), timeout];
    const outputDir = resolve(this.options.dataDir, 'scratch', `${shotId}-attempt-${shot.attempt}`);
    const progress = this.progressReporter(shot, taskId);
    // Until an adapter hands over every output in memory, its scratch space may hold files.
    let scratchUsed = true;
    try {
      // No generation (and no GPU time) for outputs that would have nowhere to go.
      await this.options.artifacts.check({ write: false });
      const startedAt = this.clock();
      const result = await adapter.generate(
        { taskId, shotId, request: shot.request, seed: seedFor(shotId, shot.attempt), outputDir },
        { signal: AbortSignal.any(signals), onProgress: progress.report },
      );
      scratchUsed = result.outputs.some((o) => 'path' in o);
      const finishedAt = this.clock();
      const signal = AbortSignal.any(signals);
      // Signed before anything is published: the hash the store checks is the signed file's.
      const facts = credentialFacts(
        shot,
        result,
        { provider, seed: seedFor(shotId, shot.attempt), startedAt, finishedAt },
        await hashReferences(this.options.artifacts, shot.request.referenceAssets),
        this.options.credentials,
      );
      const outputs = await publishOutputs(
        this.options.artifacts,
        outputPrefix(shot.show, shotId, shot.attempt),
        signOutputs(result.outputs, facts, this.options.credentials.identity, signal),
        signal,
      );
      const frames = outputs.map(({ credentials: _, ...frame }) => frame);
      const finished = [
        pending(
          'io.shotcaller.genai.usage.recorded.v1',
          {
            shotId,
            taskId,
            provider,
            ...result.usage,
            cost: this.options.price(provider, result.usage, shot),
          },
          `${taskId}-usage`,
        ),
        pending(
          'io.shotcaller.genai.task.completed.v2',
          {
            shotId,
            taskId,
            provider,
            outputs,
            signer: this.options.credentials.identity.subject,
            developmentCertificate: this.options.credentials.identity.development,
          },
          `${taskId}-completed`,
        ),
      ] as const;
      // The generation is over, so no report comes after this: the delivery clears them in its write.
      const clearProgress = await progress.settle();
      try {
        // What the provider used, what it made and the delivery, in one write.
        await store.change(shotId, {
          to: 'delivered',
          current: shot,
          // Only the task that started this version can deliver it, once.
          idsUniqueToMove: true,
          clearProgress,
          events: () => [
            ...finished,
            pending(
              'io.shotcaller.shot.delivered.v1',
              { shotId, route: 'genai', version: shot!.attempt, outputs: frames },
              `${taskId}-delivered`,
            ),
          ],
          source: this.source,
          now: this.clock(),
        });
        progress.cleared();
      } catch (error) {
        // The shot moved on meanwhile (a TD cancelled it): the work was still done and paid for.
        if (error instanceof IllegalTransition) for (const draft of finished) await this.append(shot, draft);
        throw error;
      }
      return 'delivered';
    } catch (error) {
      const outcome = timeout.aborted
        ? 'timed-out'
        : error instanceof GenerationCancelled || abort.signal.aborted || bullSignal?.aborted
          ? 'cancelled'
          : 'failed';
      const message =
        outcome === 'timed-out'
          ? `the task ran longer than ${this.options.taskTimeoutMs ?? 30 * 60_000} ms and was stopped`
          : errorMessage(error);
      await this.recordCharged(shot, job, outcome, message, error);
      if (outcome === 'cancelled') return 'cancelled';
      // A timed-out task is stopped and retried like any passing failure.
      const permanent =
        outcome === 'failed' && (error as ShotcallerError & { permanent?: boolean }).permanent === true;
      await this.append(
        shot,
        pending(
          'io.shotcaller.genai.task.failed.v1',
          { shotId, taskId, provider, error: message, permanent },
          `${taskId}-failed-${job.attemptsMade}`,
        ),
      );
      if (error instanceof StorageUnavailable && token) {
        // The store being down is no fault of the shot: wait for it as long as it takes, without using up retries.
        this.options.logger.warn(
          { shotId, err: message },
          'artifact store unavailable; the task will run again',
        );
        await job.moveToDelayed(Date.now() + (this.options.storageRetryDelayMs ?? 15_000), token);
        throw new DelayedError();
      }
      if (!permanent) throw outcome === 'timed-out' ? new Error(message) : error;
      await this.rerouteToVendor(shot, `the ${provider} provider refused the task: ${message}`);
      return 'rerouted';
    } finally {
      stopWatching();
      await progress.done();
      if (scratchUsed) await rm(outputDir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /**
   * Progress is live, not durable: published to watchers and kept on the shot while the task runs,
   * throttled to every tenth (up to 90 %) so a 1,000-frame shot does not flood anyone. Reports go out
   * one at a time, in order; one that fails is logged and the task goes on (progress is worth no retry).
   */
  private progressReporter(shot: ShotRecord, taskId: string) {
    const { provider, store, logger } = this.options;
    let lastStep = -1;
    let reported = false;
    let chain: Promise<void> = Promise.resolve();
    const send = (step: number, message: string | undefined) => {
      const event = makeEvent(
        'io.shotcaller.genai.task.progress.v1',
        { shotId: shot.id, taskId, provider, percent: step, ...(message ? { message } : {}) },
        {
          source: this.source,
          correlationId: shot.id,
          subject: shot.id,
          show: shot.show,
          time: this.clock(),
        },
      );
      chain = chain
        .then(() => store.reportProgress(event))
        .then(() => {
          reported = true;
        })
        .catch((error: unknown) =>
          logger.warn({ shotId: shot.id, taskId, err: errorMessage(error) }, 'progress not published'),
        );
    };
    return {
      report: (p: Progress) => {
        // Generation done is not the task done: signing and publishing come next, and the delivery (or
        // the failure) is the next thing watchers hear. A "100 %" would only stand in front of it (and
        // cost a write and a publish on every shot).
        if (p.percent >= 100) return;
        const step = Math.floor(p.percent / 10) * 10;
        if (step <= lastStep) return;
        lastStep = step;
        send(step, p.message);
      },
      /** Waits for reports in flight; true when some reached the shot, for the move that ends the task to clear. */
      settle: async () => {
        await chain;
        return reported;
      },
      /** The move that ended the task cleared its progress: nothing is left to forget. */
      cleared: () => {
        reported = false;
      },
      /** Waits for reports in flight, then forgets the task's progress on the shot. */
      done: async () => {
        await chain;
        if (reported)
          await store
            .clearProgress(shot.id)
            .catch((error: unknown) =>
              logger.warn({ shotId: shot.id, err: errorMessage(error) }, 'progress not cleared'),
            );
      },
    };
  }

  /**
   * Records what an attempt that delivered nothing was charged, when the provider says it used anything:
   * one event per attempt (its id carries the attempt), so a redelivered job counts it once.
   */
  private async recordCharged(
    shot: ShotRecord,
    job: Job<ShotJob>,
    outcome: 'failed' | 'cancelled' | 'timed-out',
    reason: string,
    error: unknown,
  ): Promise<void> {
    const usage = chargedUsage(error);
    if (!usage) return;
    const { provider } = this.options;
    await this.append(
      shot,
      pending(
        'io.shotcaller.genai.attempt.charged.v1',
        {
          shotId: shot.id,
          taskId: job.id!,
          provider,
          attempt: job.attemptsMade + 1,
          outcome,
          reason,
          ...usage,
          cost: this.options.price(provider, usage, shot, { delivered: false }),
        },
        `${job.id}-charged-${job.attemptsMade}`,
      ),
    );
  }

  /** Aborts the task when its shot is cancelled or rerouted while it runs. */
  private watch(shotId: string, taskId: string, abort: AbortController): () => void {
    const timer = setInterval(() => {
      this.options.store
        .get(shotId)
        .then((s) => {
          if (s?.state !== 'in-progress' || s.workJobId !== taskId) abort.abort();
        })
        // A Redis blip skips one look; the next interval looks again.
        .catch((error: unknown) =>
          this.options.logger.warn(
            { shotId, err: errorMessage(error) },
            'could not check the shot; will look again',
          ),
        );
    }, this.options.watchIntervalMs ?? 500);
    return () => clearInterval(timer);
  }

  private async rerouteToVendor(shot: ShotRecord, reason: string): Promise<void> {
    await this.options.store.change(shot.id, {
      to: 'rerouted',
      patch: () => ({ forcedRoute: 'vendor', lastError: reason }),
      events: () => [
        pending('io.shotcaller.shot.rerouted.v1', {
          shotId: shot.id,
          from: 'genai',
          to: 'vendor',
          cause: 'genai-failed',
          reason,
        }),
      ],
      source: this.source,
      now: this.clock(),
    });
  }

  private append(shot: ShotRecord, draft: EventDraft) {
    return this.log.append(
      eventFromDraft(draft, {
        source: this.source,
        correlationId: shot.id,
        subject: shot.id,
        show: shot.show,
        time: this.clock(),
      }),
    );
  }
}
