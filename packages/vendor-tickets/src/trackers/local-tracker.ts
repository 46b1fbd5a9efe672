import { deploymentPrefix, type RedisClient } from '@shotcaller/events';
import { z } from 'zod';
import type { TrackerChange, TrackerTicket, VendorTracker } from './tracker';

/** What a vendor sees of a ticket in the local tracker. */
export const LocalTicket = z.object({
  ticketId: z.string(),
  workflowId: z.string(),
  shotId: z.string(),
  show: z.string(),
  label: z.string(),
  brief: z.string(),
  frames: z.object({ start: z.int(), end: z.int() }),
  deadline: z.string().optional(),
  currency: z.string(),
  vendors: z.array(z.string()),
  bidDeadline: z.string(),
  status: z.string(),
  awardedTo: z.string().optional(),
  notes: z.array(z.object({ at: z.string(), status: z.string(), note: z.string() })),
  updatedAt: z.string(),
});
export type LocalTicket = z.infer<typeof LocalTicket>;

export function localTrackerKeys(deployment: string) {
  const p = `${deploymentPrefix(deployment)}vendor:`;
  return { tickets: `${p}tickets`, byVendor: (vendorId: string) => `${p}by-vendor:${vendorId}` };
}

/** Tickets kept by Shotcaller itself, for vendors who work through its vendor API. */
export class LocalTracker implements VendorTracker {
  readonly name = 'local';
  private readonly keys;

  constructor(
    private readonly redis: RedisClient,
    deployment: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.keys = localTrackerKeys(deployment);
  }

  async open(t: TrackerTicket): Promise<{ trackerRef: string }> {
    const now = this.clock().toISOString();
    const ticket: LocalTicket = {
      ticketId: t.ticketId,
      workflowId: t.workflowId,
      shotId: t.shotId,
      show: t.show,
      label: t.label,
      brief: t.brief,
      frames: t.frames,
      ...(t.deadline ? { deadline: t.deadline } : {}),
      currency: t.estimate.currency,
      vendors: t.terms.vendors,
      bidDeadline: t.bidDeadline,
      status: 'bidding',
      notes: [{ at: now, status: 'bidding', note: `Open for bids until ${t.bidDeadline}` }],
      updatedAt: now,
    };
    // HSETNX: a retried open keeps the ticket (and its notes) as the first open wrote it.
    await this.redis.hsetnx(this.keys.tickets, t.ticketId, JSON.stringify(ticket));
    for (const v of t.terms.vendors) await this.redis.sadd(this.keys.byVendor(v), t.ticketId);
    return { trackerRef: t.ticketId };
  }

  async update(trackerRef: string, change: TrackerChange): Promise<void> {
    const current = await this.get(trackerRef);
    if (!current) return;
    const now = this.clock().toISOString();
    // A retried update finds its note already there.
    if (current.notes.some((n) => n.status === change.status && n.note === change.note)) return;
    const next: LocalTicket = {
      ...current,
      status: change.ticket.phase === 'closed' ? `closed (${change.ticket.outcome})` : change.status,
      bidDeadline: change.ticket.bidDeadline ?? current.bidDeadline,
      ...(change.ticket.award ? { awardedTo: change.ticket.award.vendorId } : {}),
      notes: [...current.notes, { at: now, status: change.status, note: change.note }],
      updatedAt: now,
    };
    await this.redis.hset(this.keys.tickets, trackerRef, JSON.stringify(next));
  }

  async get(ticketId: string): Promise<LocalTicket | undefined> {
    const raw = await this.redis.hget(this.keys.tickets, ticketId);
    return raw ? LocalTicket.parse(JSON.parse(raw)) : undefined;
  }

  /** The tickets a vendor was invited to, newest first; every ticket for `undefined` (an admin). */
  async list(vendorId: string | undefined): Promise<LocalTicket[]> {
    let raws: string[];
    if (vendorId === undefined) raws = Object.values(await this.redis.hgetall(this.keys.tickets));
    else {
      const ids = await this.redis.smembers(this.keys.byVendor(vendorId));
      raws = ids.length
        ? ((await this.redis.hmget(this.keys.tickets, ...ids)).filter(Boolean) as string[])
        : [];
    }
    return raws
      .map((r) => LocalTicket.parse(JSON.parse(r)))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }
}
