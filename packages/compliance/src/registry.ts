import {
  type ApprovalRecord,
  ApprovalRecord as ApprovalSchema,
  type ConsentRecord,
  ConsentRecord as ConsentSchema,
  makeEvent,
  ShotcallerError,
} from '@shotcaller/contracts';
import { awaitReplicas, deploymentPrefix, EventLog, eventSource, type RedisClient } from '@shotcaller/events';

export class ConsentNotFound extends ShotcallerError {
  readonly code = 'consent_not_found';
  constructor(readonly consentId: string) {
    super(`No consent ${consentId} on file`);
  }
}

export class ConsentAlreadyRevoked extends ShotcallerError {
  readonly code = 'consent_already_revoked';
  constructor(
    readonly consentId: string,
    readonly revokedAt: string,
  ) {
    super(`Consent ${consentId} was already revoked at ${revokedAt}`);
  }
}

/**
 * Consents and approvals on file. Every change appends its catalogue event first, with an id derived
 * from the record, so a retried call appends once; the Redis records are the queryable view of them.
 */
export class ConsentRegistry {
  private readonly log: EventLog;
  private readonly p: string;
  private readonly source: string;

  constructor(
    private readonly redis: RedisClient,
    deployment: string,
  ) {
    this.log = new EventLog(redis, { deployment });
    this.p = `${deploymentPrefix(deployment)}compliance:`;
    this.source = eventSource(deployment, 'compliance');
  }

  async recordConsent(input: ConsentRecord): Promise<ConsentRecord> {
    const consent = ConsentSchema.parse(input);
    await this.log.append(
      makeEvent(
        'io.shotcaller.consent.recorded.v1',
        { consent },
        { source: this.source, correlationId: consent.id, id: `consent-recorded-${consent.id}` },
      ),
    );
    await this.redis
      .multi()
      .hset(`${this.p}consents`, consent.id, JSON.stringify(consent))
      .sadd(`${this.p}consents:performer:${consent.performerId}`, consent.id)
      .exec();
    // The record the router reads must survive a failover as well as the event.
    await awaitReplicas(this.redis, `${this.p}consents`, ['io.shotcaller.consent.recorded.v1']);
    return consent;
  }

  async revokeConsent(
    id: string,
    opts: { by: string; reason: string; now: Date },
  ): Promise<{ consent: ConsentRecord; shotIds: string[] }> {
    const consent = await this.getConsent(id);
    if (!consent) throw new ConsentNotFound(id);
    const revoked = await this.redis.hget(`${this.p}revoked`, id);
    if (revoked)
      throw new ConsentAlreadyRevoked(id, (JSON.parse(revoked) as { revokedAt: string }).revokedAt);
    const revokedAt = opts.now.toISOString();
    await this.log.append(
      makeEvent(
        'io.shotcaller.consent.revoked.v1',
        { consentId: id, by: opts.by, reason: opts.reason, revokedAt },
        { source: this.source, correlationId: id, id: `consent-revoked-${id}` },
      ),
    );
    await this.redis.hset(
      `${this.p}revoked`,
      id,
      JSON.stringify({ by: opts.by, reason: opts.reason, revokedAt }),
    );
    await awaitReplicas(this.redis, `${this.p}revoked`, ['io.shotcaller.consent.revoked.v1']);
    return { consent, shotIds: await this.shotsRelyingOn(id) };
  }

  async recordApproval(input: ApprovalRecord): Promise<ApprovalRecord> {
    const approval = ApprovalSchema.parse(input);
    await this.log.append(
      makeEvent(
        'io.shotcaller.approval.recorded.v1',
        { approval },
        {
          source: this.source,
          correlationId: approval.shotId ?? approval.id,
          show: approval.show,
          id: `approval-recorded-${approval.id}`,
        },
      ),
    );
    await this.redis
      .multi()
      .hset(`${this.p}approvals`, approval.id, JSON.stringify(approval))
      .sadd(`${this.p}approvals:show:${approval.show}`, approval.id)
      .exec();
    await awaitReplicas(this.redis, `${this.p}approvals`, ['io.shotcaller.approval.recorded.v1']);
    return approval;
  }

  async getConsent(id: string): Promise<ConsentRecord | undefined> {
    const json = await this.redis.hget(`${this.p}consents`, id);
    return json ? ConsentSchema.parse(JSON.parse(json)) : undefined;
  }

  async isRevoked(id: string): Promise<boolean> {
    return (await this.redis.hexists(`${this.p}revoked`, id)) === 1;
  }

  /** Consents in force (not revoked) of these performers; the rules check show, use, territory and dates. */
  async consentsFor(performerIds: readonly string[]): Promise<ConsentRecord[]> {
    const ids = new Set<string>();
    for (const performerId of performerIds) {
      for (const id of await this.redis.smembers(`${this.p}consents:performer:${performerId}`)) ids.add(id);
    }
    const out: ConsentRecord[] = [];
    for (const id of ids) {
      if (await this.isRevoked(id)) continue;
      const consent = await this.getConsent(id);
      if (consent) out.push(consent);
    }
    return out;
  }

  async approvalsFor(show: string): Promise<ApprovalRecord[]> {
    const ids = await this.redis.smembers(`${this.p}approvals:show:${show}`);
    if (ids.length === 0) return [];
    const rows = await this.redis.hmget(`${this.p}approvals`, ...ids);
    return rows.filter((r): r is string => r !== null).map((r) => ApprovalSchema.parse(JSON.parse(r)));
  }

  /** Every approval and union notice on file, newest first. */
  async listApprovals(): Promise<ApprovalRecord[]> {
    const all = await this.redis.hgetall(`${this.p}approvals`);
    return Object.values(all)
      .map((json) => ApprovalSchema.parse(JSON.parse(json)))
      .sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
  }

  async listConsents(): Promise<Array<ConsentRecord & { revoked: boolean }>> {
    const all = await this.redis.hgetall(`${this.p}consents`);
    const revoked = new Set(await this.redis.hkeys(`${this.p}revoked`));
    return Object.values(all).map((json) => {
      const consent = ConsentSchema.parse(JSON.parse(json));
      return { ...consent, revoked: revoked.has(consent.id) };
    });
  }

  /** Remembers that a shot's go-ahead relied on these consents, so revoking one finds the shot. */
  async noteReliance(shotId: string, consentIds: readonly string[]): Promise<void> {
    if (consentIds.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const id of consentIds) pipeline.sadd(`${this.p}reliance:${id}`, shotId);
    await pipeline.exec();
  }

  async shotsRelyingOn(consentId: string): Promise<string[]> {
    return (await this.redis.smembers(`${this.p}reliance:${consentId}`)).sort();
  }
}
