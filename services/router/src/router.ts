import type { Route } from '@shotcaller/contracts';
import { eventSource } from '@shotcaller/events';
import type { Logger } from '@shotcaller/platform';
import {
  bullPrefix,
  pending,
  priorities,
  queueNames,
  type ShotJob,
  ShotJob as ShotJobSchema,
  type ShotRecord,
  type ShotStore,
  workQueueName,
} from '@shotcaller/shots';
import { type ConnectionOptions, type Queue, Worker } from 'bullmq';
import type { RouteDecider } from './route-decider';

export interface RouterOptions {
  connection: ConnectionOptions;
  deployment: string;
  store: ShotStore;
  decider: RouteDecider;
  /** Where routed work goes: the vendor queue, or the queue of the shot's genai provider. */
  queueFor(route: Route, provider: string | undefined): Queue<ShotJob>;
  logger: Logger;
  concurrency?: number;
  clock?: () => Date;
}

export type RoutingOutcome = 'queued' | 'held' | 'requeued' | 'stale' | 'missing' | 'not-routable';

/** Job id of a shot's work job: one per queued version, so re-adding after a crash is a no-op. */
export function workJobId(shot: ShotRecord): string {
  return `${shot.id}-v${shot.version}`;
}

/** The router role: a BullMQ worker on the intake queue that checks, decides and enqueues each shot. */
export class Router {
  readonly worker: Worker<ShotJob, RoutingOutcome>;
  private readonly clock: () => Date;
  private readonly source: string;

  constructor(private readonly options: RouterOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.source = eventSource(options.deployment, 'router');
    this.worker = new Worker<ShotJob, RoutingOutcome>(
      queueNames.intake,
      (job) => this.route(ShotJobSchema.parse(job.data)),
      {
        connection: options.connection,
        prefix: bullPrefix(options.deployment),
        concurrency: options.concurrency ?? 8,
        autorun: false,
      },
    );
    this.worker.on('failed', (job, error) => {
      options.logger.warn(
        { shotId: job?.data.shotId, attempt: job?.attemptsMade, err: error },
        'routing failed; BullMQ will retry',
      );
    });
  }

  start(): void {
    // run() settles only when the worker stops; a rejection means it stopped on an error, which must be seen.
    this.worker
      .run()
      .catch((error: Error) =>
        this.options.logger.error(
          { err: error.message, queue: this.worker.name },
          'queue worker stopped on an error',
        ),
      );
  }

  async close(): Promise<void> {
    await this.worker.close();
  }

  /** Routes one shot. Safe to run twice for the same job: every step checks where the shot already is. */
  async route(job: ShotJob): Promise<RoutingOutcome> {
    const { store } = this.options;
    const shot = await store.get(job.shotId);
    if (!shot) return 'missing';
    if (shot.attempt !== job.attempt) return 'stale';
    if (shot.state === 'queued' && shot.route) {
      // A crash after the move but before the enqueue: put the work job in place (its id makes this idempotent).
      await this.enqueueWork(shot, shot.route);
      return 'requeued';
    }
    const now = this.clock();
    if (shot.state !== 'submitted' && shot.state !== 'routing' && shot.state !== 'rerouted')
      return 'not-routable';

    // A reroute supersedes work already queued on the other route: withdraw it if no worker has it yet.
    if (shot.state === 'rerouted' && shot.route && shot.workJobId) {
      await this.options
        .queueFor(shot.route, shot.provider)
        .remove(shot.workJobId)
        .catch(() => 0);
    }
    const { decision, precheck } = await this.options.decider.decide(shot, now);
    // A submitted shot goes through routing to queued (or held) in one write: the routing.started event
    // still says when routing began, and a crash before the write leaves it submitted, to route again.
    const through = (s: ShotRecord) =>
      s.state === 'submitted'
        ? [pending('io.shotcaller.shot.routing.started.v1', { shotId: s.id, attempt: s.attempt })]
        : [];
    if (precheck.outcome === 'hold') {
      const blocking = precheck.findings.filter((f) => !f.satisfied).map((f) => f.reason);
      await store.change(shot.id, {
        to: 'held',
        via: 'routing',
        current: shot,
        patch: () => ({
          decision,
          precheck,
          route: decision.route,
          forcedRoute: undefined,
          pendingOverride: undefined,
        }),
        events: (s) => [
          ...through(s),
          pending('io.shotcaller.shot.held.v1', {
            shotId: s.id,
            precheck,
            reason: blocking.join('; ') || 'compliance hold',
          }),
        ],
        source: this.source,
        now,
      });
      return 'held';
    }
    const { shot: queued } = await store.change(shot.id, {
      to: 'queued',
      via: 'routing',
      current: shot,
      patch: (s) => ({
        decision,
        precheck,
        route: decision.route,
        provider: decision.provider,
        workJobId: `${s.id}-v${s.version + 1}`,
        forcedRoute: undefined,
        pendingOverride: undefined,
      }),
      events: (s) => [
        ...through(s),
        pending('io.shotcaller.shot.routed.v1', { shotId: s.id, decision, precheck }),
        pending('io.shotcaller.shot.queued.v1', {
          shotId: s.id,
          route: decision.route,
          queue: workQueueName(decision.route, decision.provider),
        }),
      ],
      source: this.source,
      now,
    });
    await this.enqueueWork(queued, decision.route);
    return 'queued';
  }

  private async enqueueWork(shot: ShotRecord, route: Route): Promise<void> {
    const queue = this.options.queueFor(route, shot.provider);
    await queue.add(
      route,
      { shotId: shot.id, attempt: shot.attempt },
      {
        jobId: workJobId(shot),
        priority: priorities[shot.request.priority],
      },
    );
  }
}
