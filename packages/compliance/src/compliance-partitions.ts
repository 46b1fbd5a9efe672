import type { ApprovalRecord, ConsentRecord, ShotcallerEvent } from '@shotcaller/contracts';
import { EventLog, type Partitions, type RedisClient } from '@shotcaller/events';
import { AlertInbox, AlertNotFound } from './alert-inbox';
import { type Alert, bySeverity } from './alerts';
import { ConsentNotFound, ConsentRegistry } from './registry';

/**
 * Consents, approvals and alerts across a deployment's partitions, for the api. A consent names shows
 * that may sit in several partitions: it is recorded (and revoked) in each of them, under the same event
 * id, so every partition's router and compliance checker decide from records of their own slot. An
 * approval and an alert belong to one show, so to one partition.
 */
export class CompliancePartitions {
  private readonly registries: ConsentRegistry[];
  private readonly inboxes: AlertInbox[];
  private readonly logs: EventLog[];

  constructor(
    private readonly redis: RedisClient,
    readonly partitions: Partitions,
  ) {
    this.registries = partitions.all.map((k) => new ConsentRegistry(redis, partitions.keyspace(k)));
    this.inboxes = partitions.all.map((k) => new AlertInbox(redis, partitions.keyspace(k)));
    this.logs = partitions.all.map((k) => new EventLog(redis, { deployment: partitions.keyspace(k) }));
  }

  private partitionsOfShows(shows: readonly string[]): number[] {
    return [...new Set(shows.map((s) => this.partitions.ofShow(s)))].sort((a, b) => a - b);
  }

  async recordConsent(consent: ConsentRecord): Promise<ConsentRecord> {
    let recorded = consent;
    for (const k of this.partitionsOfShows(consent.shows))
      recorded = await this.registries[k]!.recordConsent(consent);
    return recorded;
  }

  /** The consent, from the first partition that has it (all are asked at once). */
  async getConsent(id: string): Promise<ConsentRecord | undefined> {
    const found = await Promise.all(this.registries.map((registry) => registry.getConsent(id)));
    return found.find((consent) => consent !== undefined);
  }

  async revokeConsent(
    id: string,
    opts: { by: string; reason: string; now: Date },
  ): Promise<{ consent: ConsentRecord; shotIds: string[] }> {
    const consent = await this.getConsent(id);
    if (!consent) throw new ConsentNotFound(id);
    const shotIds = new Set<string>();
    let revoked: ConsentRecord = consent;
    // The first partition refuses a second revocation; a retry after a partial one finishes the rest.
    const targets = this.partitionsOfShows(consent.shows);
    const pending = [];
    for (const k of targets) if (!(await this.registries[k]!.isRevoked(id))) pending.push(k);
    if (pending.length === 0) return this.registries[targets[0]!]!.revokeConsent(id, opts);
    for (const k of pending) {
      const result = await this.registries[k]!.revokeConsent(id, opts);
      revoked = result.consent;
      for (const shotId of result.shotIds) shotIds.add(shotId);
    }
    return { consent: revoked, shotIds: [...shotIds].sort() };
  }

  recordApproval(approval: ApprovalRecord): Promise<ApprovalRecord> {
    return this.registries[this.partitions.ofShow(approval.show)]!.recordApproval(approval);
  }

  async listConsents(): Promise<Array<ConsentRecord & { revoked: boolean }>> {
    const byId = new Map<string, ConsentRecord & { revoked: boolean }>();
    for (const registry of this.registries)
      for (const consent of await registry.listConsents()) {
        const seen = byId.get(consent.id);
        byId.set(consent.id, seen ? { ...seen, revoked: seen.revoked || consent.revoked } : consent);
      }
    return [...byId.values()];
  }

  async listApprovals(): Promise<ApprovalRecord[]> {
    const all = await Promise.all(this.registries.map((r) => r.listApprovals()));
    return all.flat().sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
  }

  /** An alert and the partition it is in. */
  async alert(alertId: string): Promise<{ alert: Alert; k: number }> {
    const found = await Promise.all(this.partitions.all.map((k) => this.inboxes[k]!.get(alertId)));
    const k = found.findIndex((alert) => alert !== undefined);
    if (k === -1) throw new AlertNotFound(alertId);
    return { alert: found[k]!, k: this.partitions.all[k]! };
  }

  async listAlerts(filter: { status?: Alert['status']; show?: string } = {}): Promise<Alert[]> {
    const inboxes = filter.show ? [this.inboxes[this.partitions.ofShow(filter.show)]!] : this.inboxes;
    return (await Promise.all(inboxes.map((inbox) => inbox.list(filter)))).flat().sort(bySeverity);
  }

  /** Appends an alert's event to its partition's log and applies it to that partition's inbox. */
  async recordAlertEvent(k: number, event: ShotcallerEvent): Promise<Alert> {
    await this.logs[k]!.append(event);
    await this.inboxes[k]!.apply(event);
    const alertId = (event.data as { alertId: string }).alertId;
    return this.inboxes[k]!.require(alertId);
  }

  /** Every event of every partition (and of the deployment's own keyspace), one partition after another. */
  async *replayAll(): AsyncGenerator<ShotcallerEvent> {
    const logs = [...this.logs];
    // Deployment-wide events (the rule configuration) are in the deployment's own keyspace, which is
    // partition 0's when there is one partition.
    if (this.partitions.count > 1)
      logs.push(new EventLog(this.redis, { deployment: this.partitions.globalKeyspace }));
    for (const log of logs) for await (const { event } of log.replay()) yield event;
  }
}
