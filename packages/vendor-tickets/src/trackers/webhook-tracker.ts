import { errorMessage, ShotcallerError } from '@shotcaller/contracts';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import type { TrackerChange, TrackerTicket, VendorTracker } from './tracker';

export const WebhookTrackerConfig = z.strictObject({
  /** Where each vendor receives its tickets, by vendor id. */
  endpoints: z.record(z.string(), z.strictObject({ url: z.url(), secret: z.string().min(1) })),
  timeoutMs: z.int().positive().default(10_000),
});
export type WebhookTrackerConfig = z.infer<typeof WebhookTrackerConfig>;

export class WebhookTrackerFailed extends ShotcallerError {
  readonly code = 'vendor_webhook_failed';
  constructor(vendorId: string, detail: string) {
    super(`The ticket could not be sent to vendor ${vendorId}: ${detail}`);
  }
}

/**
 * Tickets pushed to each invited vendor's own endpoint as Standard Webhooks (signed JSON); the vendor
 * answers with bids and deliveries on Shotcaller's vendor API. The `webhook-id` is fixed per ticket
 * step, so a vendor can drop the copy a retry sends.
 */
export class WebhookTracker implements VendorTracker {
  readonly name = 'webhook';

  constructor(
    private readonly config: WebhookTrackerConfig,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async open(t: TrackerTicket): Promise<{ trackerRef: string }> {
    await this.send(t.terms.vendors, `${t.ticketId}.opened`, {
      type: 'ticket.opened',
      ticket: {
        ticketId: t.ticketId,
        show: t.show,
        label: t.label,
        brief: t.brief,
        frames: t.frames,
        deadline: t.deadline,
        currency: t.estimate.currency,
        bidDeadline: t.bidDeadline,
      },
      reply: {
        bids: `/v1/vendor/tickets/${t.ticketId}/bids`,
        deliveries: `/v1/vendor/tickets/${t.ticketId}/deliveries`,
      },
    });
    return { trackerRef: t.ticketId };
  }

  async update(trackerRef: string, change: TrackerChange): Promise<void> {
    const step = `${change.status}-${change.ticket.reviews.length}-${change.ticket.deliveries.length}-${change.ticket.escalations}`;
    // After the award only the winner hears about the work; before it, every invited vendor.
    const to = change.ticket.award ? [change.ticket.award.vendorId] : change.ticket.vendors;
    await this.send(to, `${trackerRef}.${step}`, {
      type: 'ticket.updated',
      ticketId: trackerRef,
      status: change.status,
      note: change.note,
      phase: change.ticket.phase,
    });
  }

  private async send(vendors: readonly string[], id: string, body: unknown): Promise<void> {
    const payload = JSON.stringify(body);
    for (const vendorId of vendors) {
      const endpoint = this.config.endpoints[vendorId];
      if (!endpoint) throw new WebhookTrackerFailed(vendorId, 'no endpoint is configured for this vendor');
      const now = this.clock();
      const msgId = `${id}.${vendorId}`;
      let response: Response;
      try {
        response = await fetch(endpoint.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': msgId,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': new Webhook(endpoint.secret).sign(msgId, now, payload),
            'user-agent': 'Shotcaller-Vendor-Tickets',
          },
          body: payload,
          signal: AbortSignal.timeout(this.config.timeoutMs),
        });
      } catch (error) {
        throw new WebhookTrackerFailed(vendorId, errorMessage(error));
      }
      await response.body?.cancel();
      if (!response.ok) throw new WebhookTrackerFailed(vendorId, `HTTP ${response.status}`);
    }
  }
}
