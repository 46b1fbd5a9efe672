import { formatMoney, type ShotcallerEvent } from '@shotcaller/contracts';
import {
  type ConsumerOptions,
  deploymentPrefix,
  eventLogKeys,
  GroupConsumer,
  type RedisClient,
} from '@shotcaller/events';
import type { ShotStore } from '@shotcaller/shots';
import { z } from 'zod';
import type { KitsuClient } from './kitsu-client';

/** Which Kitsu task status each Shotcaller step sets (short names; the defaults exist after `zou init-data`). */
export const KitsuStatuses = z
  .strictObject({
    routed: z.string().default('wip'),
    held: z.string().default('wfa'),
    delivered: z.string().default('wfa'),
    awarded: z.string().default('wip'),
    approved: z.string().default('done'),
    rejected: z.string().default('retake'),
  })
  .prefault({});
export type KitsuStatuses = z.infer<typeof KitsuStatuses>;

type Step = keyof KitsuStatuses;

/** What Kitsu is told about an event: the status to set and the comment, or nothing. */
export function commentFor(
  event: ShotcallerEvent,
  links: { manifest?: (shotId: string) => string; credentials?: (shotId: string) => string },
): { step: Step; text: string } | undefined {
  switch (event.type) {
    case 'io.shotcaller.shot.routed.v1': {
      const d = event.data.decision;
      return {
        step: 'routed',
        text: `Shotcaller routed this shot to **${d.route}**${d.provider ? ` (${d.provider})` : ''} by rule ${d.decidedBy}: ${d.explanation}`,
      };
    }
    case 'io.shotcaller.shot.held.v1': {
      const missing = event.data.precheck.findings.flatMap((f) =>
        f.missing.map((m) => `- missing ${m.kind}: ${m.description}`),
      );
      return {
        step: 'held',
        text: `Shotcaller is HOLDING this shot: ${event.data.reason}${missing.length ? `\n${missing.join('\n')}` : ''}`,
      };
    }
    case 'io.shotcaller.shot.delivered.v1': {
      const manifest = event.data.manifestUri
        ? (links.manifest?.(event.data.shotId) ?? event.data.manifestUri)
        : undefined;
      // AI work since Content Credentials carries them in every frame; older work has a JSON manifest.
      const credentials =
        !manifest && event.data.route === 'genai'
          ? `; every frame carries signed Content Credentials (C2PA)${links.credentials ? `: ${links.credentials(event.data.shotId)}` : ''}`
          : '';
      return {
        step: 'delivered',
        text: `Version ${event.data.version} delivered by the ${event.data.route} route (${event.data.outputs.length} file(s))${manifest ? `; provenance manifest: ${manifest}` : credentials}`,
      };
    }
    case 'io.shotcaller.vendor.ticket.awarded.v1':
      return {
        step: 'awarded',
        text: `Awarded to vendor ${event.data.vendorId} for ${formatMoney(event.data.amount)}, due ${event.data.dueAt}`,
      };
    case 'io.shotcaller.shot.approved.v1':
      return {
        step: 'approved',
        text: `Approved in Shotcaller by ${event.data.by}${event.data.note ? `: ${event.data.note}` : ''}`,
      };
    case 'io.shotcaller.shot.rejected.v1':
      return { step: 'rejected', text: `Rejected in Shotcaller by ${event.data.by}: ${event.data.note}` };
    default:
      return undefined;
  }
}

/** Each comment carries the event id, so a replay can see it was already posted even if Redis forgot. */
const marker = (eventId: string) => `[shotcaller:${eventId}]`;

export interface KitsuSyncOptions {
  redis: RedisClient;
  deployment: string;
  store: ShotStore;
  client: KitsuClient;
  statuses: KitsuStatuses;
  consumerName: string;
  manifestLink?: (shotId: string) => string;
  /** Where a shot's first delivered file's Content Credentials are checked (the API's credentials route). */
  credentialsLink?: (shotId: string) => string;
  /** At most this many comments a second: Kitsu is a shared studio server. */
  ratePerSecond?: number;
  claimIdleMs?: number;
  maxDeliveries?: number;
  blockMs?: number;
  /** Told about every failed event, with its entry and event ids, for logging. */
  onError?: ConsumerOptions['onError'];
}

/**
 * Posts what Shotcaller did to each imported shot's Kitsu task, as comments with the matching task
 * status. A consumer group on the event log: at least once, so idempotent on the event id (a set in
 * Redis, and the id in the comment); a failure is retried after `claimIdleMs`, and dead-lettered with
 * its error after `maxDeliveries`.
 */
export class KitsuSync {
  private readonly consumer: GroupConsumer;
  private readonly posted: string;
  private nextSlot = 0;
  private statusIds?: Map<string, string>;

  constructor(private readonly options: KitsuSyncOptions) {
    this.posted = `${deploymentPrefix(options.deployment)}kitsu:posted`;
    this.consumer = new GroupConsumer(options.redis, eventLogKeys(options.deployment), {
      group: 'kitsu-sync',
      consumer: options.consumerName,
      handler: (event) => this.handle(event),
      claimIdleMs: options.claimIdleMs ?? 30_000,
      maxDeliveries: options.maxDeliveries ?? 20,
      blockMs: options.blockMs ?? 1_000,
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  private async statusId(short: string): Promise<string> {
    this.statusIds ??= new Map((await this.options.client.taskStatuses()).map((s) => [s.short_name, s.id]));
    const id = this.statusIds.get(short);
    if (!id) throw new Error(`Kitsu has no task status "${short}" (kitsu.statuses)`);
    return id;
  }

  private async handle(event: ShotcallerEvent): Promise<void> {
    const comment = commentFor(event, {
      ...(this.options.manifestLink ? { manifest: this.options.manifestLink } : {}),
      ...(this.options.credentialsLink ? { credentials: this.options.credentialsLink } : {}),
    });
    if (!comment || !event.subject) return;
    const shot = await this.options.store.get(event.subject);
    const source = shot?.request.source;
    if (source?.tracker !== 'kitsu' || !source.taskId) return;
    if (await this.options.redis.sismember(this.posted, event.id)) return;
    const tag = marker(event.id);
    const existing = await this.options.client.comments(source.taskId);
    if (!existing.some((c) => c.text?.includes(tag))) {
      await this.throttle();
      await this.options.client.comment(
        source.taskId,
        await this.statusId(this.options.statuses[comment.step]),
        `${comment.text}\n\n${tag}`,
      );
    }
    await this.options.redis.sadd(this.posted, event.id);
  }

  private async throttle(): Promise<void> {
    const gap = 1000 / (this.options.ratePerSecond ?? 5);
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + gap;
    if (slot > now) await new Promise((r) => setTimeout(r, slot - now));
  }
}
