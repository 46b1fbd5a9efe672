import { type Route, ShotcallerError, type ShotRequest } from '@shotcaller/contracts';
import { ReviewOnTicket } from './errors';
import type { ShotRecord } from './shot-record';
import { pending, type ShotStore } from './shot-store';
import { ticketIdOf } from './ticket-ids';

/** A held shot cannot be forced onto AI work: the missing consent or approval releases it. */
export class ComplianceHoldNotOverridable extends ShotcallerError {
  readonly code = 'compliance_hold';
  constructor(readonly shotId: string) {
    super(
      `Shot ${shotId} is held by the compliance pre-check and cannot be overridden to genai; record the missing consent or approval to release it, or override it to vendor`,
    );
  }
}

/** The shot already goes that way. */
export class OverrideUnchanged extends ShotcallerError {
  readonly code = 'override_unchanged';
  constructor(
    readonly shotId: string,
    readonly route: Route,
  ) {
    super(`Shot ${shotId} is already routed to ${route}`);
  }
}

export interface Actor {
  /** Who, as the audit trail should name them. */
  name: string;
  /** Which role process made the change, e.g. `/shotcaller/dev/api`. */
  source: string;
}

/**
 * What people do to shots: submit, override, cancel, retry, approve, reject. Each is one audited move.
 * A move that sends a shot to routing needs nothing more: its event is what the router reacts to.
 */
export class ShotCommands {
  constructor(
    private readonly store: ShotStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Creates the shot (or finds the one its idempotency key made); its submitted event asks for routing. */
  async submit(request: ShotRequest, actor: Actor): Promise<{ shot: ShotRecord; created: boolean }> {
    return this.store.create(request, {
      submittedBy: actor.name,
      source: actor.source,
      now: this.clock(),
    });
  }

  /** Replaces a not-yet-started shot's request (a tracker edit); a held or queued shot is routed again. */
  async revise(
    shotId: string,
    request: ShotRequest,
    actor: Actor,
  ): Promise<{ shot: ShotRecord; changed: string[] }> {
    return this.store.revise(shotId, request, {
      by: actor.name,
      source: actor.source,
      now: this.clock(),
    });
  }

  /** Forces the next routing to `route`; routing records the override on the decision. */
  async override(shotId: string, route: Route, reason: string, actor: Actor): Promise<ShotRecord> {
    const now = this.clock();
    const current = await this.store.require(shotId);
    if (current.state === 'held' && route === 'genai') throw new ComplianceHoldNotOverridable(shotId);
    if (current.route === route && current.state !== 'held') throw new OverrideUnchanged(shotId, route);
    const override = {
      by: actor.name,
      reason,
      at: now.toISOString(),
      ...(current.route ? { previousRoute: current.route } : {}),
    };
    const { shot } = await this.store.change(shotId, {
      to: 'rerouted',
      patch: () => ({ forcedRoute: route, pendingOverride: override }),
      events: (s) => [
        pending('io.shotcaller.shot.overridden.v1', {
          shotId,
          ...(s.route ? { from: s.route } : {}),
          to: route,
          by: actor.name,
          reason,
        }),
        pending('io.shotcaller.shot.rerouted.v1', {
          shotId,
          from: s.route ?? (route === 'genai' ? 'vendor' : 'genai'),
          to: route,
          cause: 'override',
          reason,
        }),
      ],
      source: actor.source,
      now,
    });
    return shot;
  }

  private async assertNotTicketWork(shotId: string): Promise<void> {
    const shot = await this.store.require(shotId);
    if (shot.route === 'vendor' && shot.vendorWorkflowId)
      throw new ReviewOnTicket(shotId, ticketIdOf(shotId));
  }

  async cancel(shotId: string, reason: string, actor: Actor): Promise<ShotRecord> {
    const { shot } = await this.store.change(shotId, {
      to: 'cancelled',
      events: () => [pending('io.shotcaller.shot.cancelled.v1', { shotId, by: actor.name, reason })],
      source: actor.source,
      now: this.clock(),
    });
    return shot;
  }

  /** Sends a failed or rejected shot through routing again, as a new attempt. */
  async retry(shotId: string, actor: Actor): Promise<ShotRecord> {
    const { shot } = await this.store.change(shotId, {
      to: 'submitted',
      patch: (s) => ({ attempt: s.attempt + 1, lastError: undefined }),
      events: (s) => [
        pending('io.shotcaller.shot.retried.v1', { shotId, by: actor.name, attempt: s.attempt + 1 }),
      ],
      source: actor.source,
      now: this.clock(),
    });
    return shot;
  }

  async approve(shotId: string, note: string, actor: Actor): Promise<ShotRecord> {
    await this.assertNotTicketWork(shotId);
    const { shot } = await this.store.change(shotId, {
      to: 'approved',
      events: () => [pending('io.shotcaller.shot.approved.v1', { shotId, by: actor.name, note })],
      source: actor.source,
      now: this.clock(),
    });
    return shot;
  }

  /** Rejects delivered work; rejected AI work goes on to a vendor, with the note as the reason. */
  async reject(shotId: string, note: string, actor: Actor): Promise<ShotRecord> {
    await this.assertNotTicketWork(shotId);
    const now = this.clock();
    const { shot } = await this.store.change(shotId, {
      to: 'rejected',
      events: () => [pending('io.shotcaller.shot.rejected.v1', { shotId, by: actor.name, note })],
      source: actor.source,
      now,
    });
    if (shot.route !== 'genai') return shot;
    const { shot: rerouted } = await this.store.change(shotId, {
      to: 'rerouted',
      patch: () => ({ forcedRoute: 'vendor' }),
      events: () => [
        pending('io.shotcaller.shot.rerouted.v1', {
          shotId,
          from: 'genai',
          to: 'vendor',
          cause: 'review-rejected',
          reason: `AI output rejected in review by ${actor.name}: ${note}`,
        }),
      ],
      source: actor.source,
      now,
    });
    return rerouted;
  }
}
