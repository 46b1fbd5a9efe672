import { ShotcallerError, type ShotcallerEvent } from '@shotcaller/contracts';
import { deploymentPrefix, type RedisClient } from '@shotcaller/events';
import { Alert, bySeverity } from './alerts';

export class AlertNotFound extends ShotcallerError {
  readonly code = 'alert_not_found';
  constructor(readonly alertId: string) {
    super(`No compliance alert ${alertId}`);
  }
}

export class AlertClosed extends ShotcallerError {
  readonly code = 'illegal_transition';
  constructor(
    readonly alertId: string,
    status: string,
  ) {
    super(`Alert ${alertId} is already ${status}`);
  }
}

/** An event that moves an alert on: an acknowledgement, or a resolution (resolved or waived). */
export type AlertChange = Extract<
  ShotcallerEvent,
  {
    type: 'io.shotcaller.compliance.alert.acknowledged.v1' | 'io.shotcaller.compliance.alert.resolved.v1';
  }
>;

/** The compliance inbox: alerts projected from their events (raised, acknowledged, resolved or waived). */
export class AlertInbox {
  private readonly key: string;
  /** Ids of acknowledge and resolve events already applied, so a replay adds no second trail entry. */
  private readonly applied: string;

  constructor(
    private readonly redis: RedisClient,
    deployment: string,
  ) {
    this.key = `${deploymentPrefix(deployment)}compliance:alerts`;
    this.applied = `${deploymentPrefix(deployment)}compliance:alerts:applied`;
  }

  /** The event types `apply` reads. */
  static readonly eventTypes: ReadonlySet<ShotcallerEvent['type']> = new Set([
    'io.shotcaller.compliance.alert.raised.v1',
    'io.shotcaller.compliance.alert.acknowledged.v1',
    'io.shotcaller.compliance.alert.resolved.v1',
  ]);

  /** Resolved and waived alerts are closed: nobody acknowledges, resolves or waives them again. */
  static isClosed(alert: Alert): boolean {
    return alert.status === 'resolved' || alert.status === 'waived';
  }

  /** Throws {@link AlertClosed} unless the alert is open (raised or acknowledged). */
  static assertOpen(alert: Alert): void {
    if (AlertInbox.isClosed(alert)) throw new AlertClosed(alert.alertId, alert.status);
  }

  /**
   * The alert after an acknowledgement or a resolution, with its trail entry. Acknowledging does not
   * reopen a closed alert (the event may arrive late, after a resolution); a resolution closes it.
   */
  static next(alert: Alert, event: AlertChange): Alert {
    if (event.type === 'io.shotcaller.compliance.alert.acknowledged.v1')
      return {
        ...alert,
        status: alert.status === 'raised' ? 'acknowledged' : alert.status,
        trail: [
          ...alert.trail,
          { at: event.time, by: event.data.by, action: 'acknowledged', note: event.data.note },
        ],
      };
    return {
      ...alert,
      status: event.data.resolution,
      trail: [
        ...alert.trail,
        { at: event.time, by: event.data.by, action: event.data.resolution, note: event.data.reason },
      ],
    };
  }

  /** Applies an alert event; a replayed event leaves the alert as it was. */
  async apply(event: ShotcallerEvent): Promise<void> {
    if (event.type === 'io.shotcaller.compliance.alert.raised.v1') {
      const alert: Alert = {
        ...event.data,
        ...(event.show ? { show: event.show } : {}),
        status: 'raised',
        raisedAt: event.time,
        trail: [{ at: event.time, by: 'shotcaller', action: 'raised', note: event.data.message }],
      };
      await this.redis.hsetnx(this.key, alert.alertId, JSON.stringify(alert));
      return;
    }
    if (
      event.type !== 'io.shotcaller.compliance.alert.acknowledged.v1' &&
      event.type !== 'io.shotcaller.compliance.alert.resolved.v1'
    )
      return;
    const before = await this.get(event.data.alertId);
    if (!before || (await this.redis.sismember(this.applied, event.id)) === 1) return;
    const alert = AlertInbox.next(before, event);
    await this.redis
      .multi()
      .hset(this.key, alert.alertId, JSON.stringify(alert))
      .sadd(this.applied, event.id)
      .exec();
  }

  async get(alertId: string): Promise<Alert | undefined> {
    const json = await this.redis.hget(this.key, alertId);
    return json ? Alert.parse(JSON.parse(json)) : undefined;
  }

  async require(alertId: string): Promise<Alert> {
    const alert = await this.get(alertId);
    if (!alert) throw new AlertNotFound(alertId);
    return alert;
  }

  /** Open alerts first by severity, then the rest. */
  async list(filter: { status?: Alert['status']; show?: string } = {}): Promise<Alert[]> {
    const all = Object.values(await this.redis.hgetall(this.key)).map((j) => Alert.parse(JSON.parse(j)));
    return all
      .filter(
        (a) =>
          (filter.status === undefined || a.status === filter.status) &&
          (filter.show === undefined || a.show === filter.show),
      )
      .sort(bySeverity);
  }
}
