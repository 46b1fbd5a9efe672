import { errorMessage, type Route, type ShotcallerEvent, type ShotState } from '@shotcaller/contracts';
import { EventLog, eventSource, type GroupConsumer, type RedisClient } from '@shotcaller/events';
import type { Logger } from '@shotcaller/platform';
import {
  IllegalTransition,
  pending,
  priorities,
  type ShotJob,
  type ShotRecord,
  type ShotStore,
  workQueueName,
} from '@shotcaller/shots';
import type { Queue } from 'bullmq';
import type { RouteDecider } from './route-decider';

export interface RouterOptions {
  redis: RedisClient;
  deployment: string;
  store: ShotStore;
  decider: RouteDecider;
  /** Where routed work goes: the vendor queue, or the queue of the shot's genai provider. */
  queueFor(route: Route, provider: string | undefined): Queue<ShotJob>;
  logger: Logger;
  /** Unique per process: a restart under the same name picks up the events it had in hand. */
  consumerName: string;
  /** Shots routed at once (each shot's own events stay in order). */
  concurrency?: number;
  claimIdleMs?: number;
  maxDeliveries?: number;
  blockMs?: number;
  clock?: () => Date;
}

export type RoutingOutcome = 'queued' | 'held' | 'requeued' | 'stale' | 'missing' | 'not-routable';

/**
 * The events after which a shot waits for routing: it was submitted, or sent back through routing
 * (a revision, an override, a retry, a released hold, a reroute after failed or rejected AI work).
 */
export const routingTriggers: ReadonlySet<ShotcallerEvent['type']> = new Set([
  'io.shotcaller.shot.submitted.v1',
  'io.shotcaller.shot.revised.v1',
  'io.shotcaller.shot.rerouted.v1',
  'io.shotcaller.shot.retried.v1',
  'io.shotcaller.shot.released.v1',
]);

/** The shot states routing picks up from. */
const routable = new Set<ShotState>(['submitted', 'routing', 'rerouted']);

/** Job id of a shot's work job: one per queued version, so re-adding after a crash is a no-op. */
export function workJobId(shot: ShotRecord): string {
  return `${shot.id}-v${shot.version}`;
}

/**
 * The router role: a consumer group on the event log that routes each shot the moment an event says
 * it waits for routing. The event that moved the shot is its own work item, written in the same
 * step as the move, so routing costs no queue of its own; a crash mid-way leaves the event pending
 * for the group, and every step checks where the shot already is.
 */
export class Router {
  private readonly clock: () => Date;
  private readonly source: string;
  private readonly consumer: GroupConsumer;

  constructor(private readonly options: RouterOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.source = eventSource(options.deployment, 'router');
    this.consumer = new EventLog(options.redis, { deployment: options.deployment }).consumer({
      group: 'router',
      consumer: options.consumerName,
      // Shots submitted before the group existed are found by the sweep in start(), not by replaying
      // the whole log.
      startAt: '$',
      types: routingTriggers,
      concurrentSubjects: true,
      ...(options.concurrency === undefined ? {} : { batchSize: options.concurrency }),
      handler: async (event) => {
        if (event.subject) await this.route(event.subject);
      },
      ...(options.claimIdleMs === undefined ? {} : { claimIdleMs: options.claimIdleMs }),
      ...(options.maxDeliveries === undefined ? {} : { maxDeliveries: options.maxDeliveries }),
      ...(options.blockMs === undefined ? {} : { blockMs: options.blockMs }),
      // Made again at `$` after a failover lost it: what was submitted meanwhile is found by a sweep.
      onGroupCreatedAgain: async () => {
        options.logger.warn(
          'the router group was gone (a failover?) and is made again; sweeping for waiting shots',
        );
        await this.sweep();
      },
      onError: (error, info) =>
        options.logger.warn(
          { err: errorMessage(error), ...info },
          info.deadLettered ? 'routing gave up on an event' : 'routing failed; the event will be retried',
        ),
    });
  }

  /**
   * Joins the group, then routes every shot already waiting for routing: those whose events came
   * before the group existed (a new deployment, or one upgraded from the intake queue) or that a
   * group member left for good; and puts back the work job of a queued shot that lost it (a Redis
   * failover can lose a job added just before). Routing twice is harmless, and adding a job that is
   * there changes nothing, so overlap with the group costs nothing.
   */
  async start(): Promise<void> {
    await this.consumer.start();
    await this.sweep();
  }

  /** Routes every shot waiting for routing or for its work job (see start). */
  private async sweep(): Promise<void> {
    let swept = 0;
    for (const shotId of await this.waiting()) {
      const outcome = await this.route(shotId);
      if (outcome === 'queued' || outcome === 'held') swept++;
    }
    if (swept > 0) this.options.logger.info({ shots: swept }, 'routed shots that were waiting');
  }

  /**
   * The shots waiting for routing or for their work job, listed in full before any is routed: routing
   * takes a shot out of its state's list, which would shift the pages of a list read while routing.
   */
  private async waiting(): Promise<string[]> {
    const ids: string[] = [];
    for (const show of await this.options.store.shows())
      for (const state of [...routable, 'queued' as const])
        for (let offset: number | undefined = 0; offset !== undefined; ) {
          const page = await this.options.store.list({ show, state, visibleShows: '*', limit: 500, offset });
          ids.push(...page.shots.map((shot) => shot.id));
          offset = page.nextOffset;
        }
    return ids;
  }

  async close(): Promise<void> {
    await this.consumer.stop();
  }

  /** Routes one shot. Safe to run twice for the same job: every step checks where the shot already is. */
  async route(shotId: string): Promise<RoutingOutcome> {
    try {
      return await this.routeOnce(shotId);
    } catch (error) {
      // Another router moved the shot first (the sweep and the group may meet): nothing left to do.
      if (error instanceof IllegalTransition) return 'stale';
      throw error;
    }
  }

  private async routeOnce(shotId: string): Promise<RoutingOutcome> {
    const { store } = this.options;
    const shot = await store.get(shotId);
    if (!shot) return 'missing';
    if (shot.state === 'queued' && shot.route) {
      // A crash after the move but before the enqueue: put the work job in place (its id makes this idempotent).
      await this.enqueueWork(shot, shot.route);
      return 'requeued';
    }
    const now = this.clock();
    if (!routable.has(shot.state)) return 'not-routable';

    // A reroute supersedes work already queued on the other route: withdraw it if no worker has it yet.
    // Failing to is no reason to stop routing: a worker skips a job that is not its shot's work job.
    if (shot.state === 'rerouted' && shot.route && shot.workJobId) {
      const jobId = shot.workJobId;
      await this.options
        .queueFor(shot.route, shot.provider)
        .remove(jobId)
        .catch((error: unknown) =>
          this.options.logger.warn(
            { shotId, jobId, err: errorMessage(error) },
            'superseded work job not withdrawn; its worker will skip it',
          ),
        );
    }
    const { decision, precheck } = await this.options.decider.decide(shot, now);
    // A submitted shot goes through routing to queued (or held) in one write; a crash before the write
    // leaves it submitted, to route again.
    if (precheck.outcome === 'hold') {
      const blocking = precheck.findings.filter((f) => !f.satisfied).map((f) => f.reason);
      await store.change(shot.id, {
        to: 'held',
        via: 'routing',
        from: [...routable],
        current: shot,
        patch: () => ({
          decision,
          precheck,
          route: decision.route,
          forcedRoute: undefined,
          pendingOverride: undefined,
        }),
        events: (s) => [
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
      from: [...routable],
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
