import {
  AlertInbox,
  alertForRevocation,
  alertsForHold,
  type ConsentRegistry,
  type RaisedAlert,
} from '@shotcaller/compliance';
import {
  errorMessage,
  makeEvent,
  type PrecheckResult,
  type ShotcallerEvent,
  shotCodeOf,
} from '@shotcaller/contracts';
import { EventLog, eventSource, type GroupConsumer, type RedisClient } from '@shotcaller/events';
import type { Logger } from '@shotcaller/platform';
import { IllegalTransition, isStoppable, pending, type ShotRecord, type ShotStore } from '@shotcaller/shots';

/** What the checker reacts to: holds, consents, approvals, and its own alerts' events. */
const handledTypes: ReadonlySet<ShotcallerEvent['type']> = new Set([
  ...AlertInbox.eventTypes,
  'io.shotcaller.shot.held.v1',
  'io.shotcaller.consent.recorded.v1',
  'io.shotcaller.approval.recorded.v1',
  'io.shotcaller.consent.revoked.v1',
]);

export interface ComplianceCheckerOptions {
  redis: RedisClient;
  deployment: string;
  store: ShotStore;
  registry: ConsentRegistry;
  logger: Logger;
  consumerName: string;
  claimIdleMs?: number;
  maxDeliveries?: number;
  blockMs?: number;
  clock?: () => Date;
}

/**
 * The compliance role: a consumer group on the event log. It raises an alert for every hold, releases a
 * held shot when the consent or approval it waited for is recorded (no resubmission), holds AI work again
 * when a consent it relied on is revoked, and keeps the alert inbox. Every alert id is derived from its
 * cause, so a replay raises nothing twice.
 */
export class ComplianceChecker {
  readonly inbox: AlertInbox;
  private readonly log: EventLog;
  private readonly consumer: GroupConsumer;
  private readonly clock: () => Date;
  private readonly source: string;

  constructor(private readonly options: ComplianceCheckerOptions) {
    this.inbox = new AlertInbox(options.redis, options.deployment);
    this.log = new EventLog(options.redis, { deployment: options.deployment });
    this.clock = options.clock ?? (() => new Date());
    this.source = eventSource(options.deployment, 'compliance');
    this.consumer = this.log.consumer({
      group: 'compliance',
      consumer: options.consumerName,
      handler: (event) => this.handle(event),
      // Most of the log (routing, generation, money) is no business of compliance: left unread.
      types: handledTypes,
      ...(options.claimIdleMs ? { claimIdleMs: options.claimIdleMs } : {}),
      ...(options.maxDeliveries ? { maxDeliveries: options.maxDeliveries } : {}),
      ...(options.blockMs ? { blockMs: options.blockMs } : {}),
      onError: (error, info) =>
        options.logger.warn({ err: errorMessage(error), ...info }, 'compliance event not handled'),
    });
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  async handle(event: ShotcallerEvent): Promise<void> {
    await this.inbox.apply(event);
    switch (event.type) {
      case 'io.shotcaller.shot.held.v1': {
        const shot = await this.options.store.get(event.data.shotId);
        // People know a shot by its code; the id stands in only for a shot that is gone.
        const code = shot ? shotCodeOf(shot.request) : event.data.shotId;
        await this.raise(
          alertsForHold({ id: event.data.shotId, code }, event.data.precheck, event.id),
          event,
        );
        return;
      }
      case 'io.shotcaller.consent.recorded.v1': {
        const { consent } = event.data;
        for (const show of consent.shows) {
          const held = await this.heldShots(show);
          for (const shot of held.filter((s) =>
            s.request.performers.some((p) => p.id === consent.performerId),
          )) {
            await this.release(
              shot,
              `consent ${consent.id} of ${consent.performerName} recorded`,
              [consent.id],
              event.id,
            );
          }
        }
        return;
      }
      case 'io.shotcaller.approval.recorded.v1': {
        const { approval } = event.data;
        for (const shot of await this.heldShots(approval.show)) {
          if (approval.shotId && approval.shotId !== shot.id) continue;
          if (
            !shot.precheck?.findings.some(
              (f) => !f.satisfied && f.missing.some((m) => m.approvalKind === approval.kind),
            )
          )
            continue;
          await this.release(
            shot,
            `${approval.kind} approval ${approval.id} recorded by ${approval.approvedBy}`,
            [approval.id],
            event.id,
          );
        }
        return;
      }
      case 'io.shotcaller.consent.revoked.v1':
        await this.revoked(event.data.consentId, event.data.reason, event);
        return;
      default:
        return;
    }
  }

  private async heldShots(show: string): Promise<ShotRecord[]> {
    return (await this.options.store.list({ show, state: 'held', visibleShows: '*', limit: 10_000 })).shots;
  }

  /** Sends a held shot back through routing: the pre-check runs again with what is now on file. */
  private async release(
    shot: ShotRecord,
    reason: string,
    evidenceIds: string[],
    causationId: string,
  ): Promise<void> {
    try {
      await this.options.store.change(shot.id, {
        to: 'routing',
        events: () => [pending('io.shotcaller.shot.released.v1', { shotId: shot.id, reason, evidenceIds })],
        source: this.source,
        causationId,
        now: this.clock(),
      });
    } catch (error) {
      // Another consumer released it first (or a TD moved it on): nothing left to do.
      if (!(error instanceof IllegalTransition)) throw error;
    }
  }

  private async revoked(consentId: string, reason: string, event: ShotcallerEvent): Promise<void> {
    for (const shotId of await this.options.registry.shotsRelyingOn(consentId)) {
      const shot = await this.options.store.get(shotId);
      if (!shot || shot.state === 'cancelled') continue;
      // Only AI work relies on a performer's consent; the lifecycle says which work can still be stopped.
      const holdable = shot.route === 'genai' && isStoppable(shot.state);
      if (holdable) {
        const precheck: PrecheckResult = {
          outcome: 'hold',
          findings: [
            {
              ruleId: 'sag-aftra-2023.digital-replica-consent',
              title: 'Digital replica or digital alteration needs the performer’s consent',
              source: 'SAG-AFTRA 2023 TV/Theatrical Agreement, digital replicas and digital alteration',
              action: 'block',
              severity: 'critical',
              satisfied: false,
              reason: `consent ${consentId} was revoked: ${reason}`,
              missing: [
                {
                  kind: 'consent',
                  ruleId: 'sag-aftra-2023.digital-replica-consent',
                  description: `a new consent replacing ${consentId}`,
                },
              ],
            },
          ],
          consentIds: [],
          approvalIds: [],
        };
        try {
          await this.options.store.change(shotId, {
            to: 'held',
            patch: () => ({ precheck }),
            // The hold event's id names the revocation, so a redelivered revocation holds once.
            events: () => [
              pending(
                'io.shotcaller.shot.held.v1',
                { shotId, precheck, reason: `consent ${consentId} revoked` },
                `hold-${shotId}-revoked-${consentId}`,
              ),
            ],
            source: this.source,
            causationId: event.id,
            now: this.clock(),
          });
        } catch (error) {
          if (!(error instanceof IllegalTransition)) throw error;
        }
      }
      await this.raise(
        [alertForRevocation({ id: shotId, code: shotCodeOf(shot.request) }, consentId, reason, holdable)],
        event,
        shot.show,
      );
    }
  }

  private async raise(alerts: RaisedAlert[], cause: ShotcallerEvent, show = cause.show): Promise<void> {
    if (alerts.length === 0) return;
    const events = alerts.map((a) =>
      makeEvent('io.shotcaller.compliance.alert.raised.v1', a, {
        source: this.source,
        correlationId: a.shotId ?? a.alertId,
        causationId: cause.id,
        ...(a.shotId ? { subject: a.shotId } : {}),
        ...(show ? { show } : {}),
        id: a.alertId,
        time: this.clock(),
      }),
    );
    await this.log.appendMany(events);
    for (const e of events) await this.inbox.apply(e);
  }
}
