import { formatMoney, type Money, type Shot } from '@shotcaller/contracts';
import type { ShotcallerClient } from '@shotcaller/sdk';
import { ticketIdOf } from '@shotcaller/shots';
import { z } from 'zod';

/** The demo's two vendor houses: how they price against the estimate, and how fast they turn work round. */
export const demoVendors = [
  { id: 'ironbark-vfx', priceFactor: 0.94, turnaroundDays: 12 },
  { id: 'northlight', priceFactor: 1.06, turnaroundDays: 9 },
] as const;

const Ticket = z.object({
  ticketId: z.string(),
  phase: z.string(),
  bids: z.array(
    z.object({
      bidId: z.string(),
      vendorId: z.string(),
      amount: z.object({ amountMinor: z.int(), currency: z.string() }),
    }),
  ),
  award: z
    .object({ vendorId: z.string(), amount: z.object({ amountMinor: z.int(), currency: z.string() }) })
    .optional(),
  reviews: z.array(z.object({ outcome: z.string() })),
  invoice: z.object({ amount: z.object({ amountMinor: z.int(), currency: z.string() }) }).optional(),
});
type Ticket = z.infer<typeof Ticket>;

export interface PlayedTicket {
  shot: string;
  ticket: Ticket;
}

/**
 * Plays both sides of each vendor ticket through the vendor API: every vendor bids from its own
 * token, the producer awards the lowest bid, the winner delivers, the first shot gets a round of
 * notes, and each approved shot is invoiced at its bid.
 */
export async function playVendorTickets(
  shots: readonly Shot[],
  clients: { producer: ShotcallerClient; vendor(id: string): ShotcallerClient },
): Promise<PlayedTicket[]> {
  const vendorShots = shots.filter((s) => s.route === 'vendor' && s.vendorWorkflowId);
  return Promise.all(
    vendorShots.map(async (shot, i) => {
      const ticketId = ticketIdOf(shot.id);
      const path = `/v1/vendor/tickets/${ticketId}`;
      const estimate = shot.decision!.estimates.vendor.cost;
      for (const v of demoVendors) {
        const amount: Money = {
          amountMinor: Math.round(estimate.amountMinor * v.priceFactor),
          currency: estimate.currency,
        };
        await clients.vendor(v.id).request('POST', `${path}/bids`, z.unknown(), {
          amount,
          turnaroundDays: v.turnaroundDays,
          note: `${v.id}: ${shot.request.category}, ${shot.request.frames.end - shot.request.frames.start + 1} frames`,
        });
      }
      let { data: ticket } = await clients.producer.request('GET', path, Ticket);
      const lowest = [...ticket.bids].sort((a, b) => a.amount.amountMinor - b.amount.amountMinor)[0]!;
      await clients.producer.request('POST', `${path}/award`, z.unknown(), { bidId: lowest.bidId });
      const vendor = clients.vendor(lowest.vendorId);
      // Each version goes straight into the store on the upload URLs the ticket hands out.
      const deliver = (version: number) =>
        vendor.deliver(ticketId, [
          {
            name: `${shot.request.shot}_v${String(version).padStart(3, '0')}.exr`,
            bytes: Buffer.from(`${lowest.vendorId} ${shot.request.shot} v${version}`),
          },
        ]);
      await deliver(1);
      if (i === 0) {
        await clients.producer.request('POST', `${path}/review`, z.unknown(), {
          outcome: 'changes-requested',
          notes: 'Hold the dust longer after the second impact',
        });
        await deliver(2);
      }
      await clients.producer.request('POST', `${path}/review`, z.unknown(), { outcome: 'approved' });
      ({ data: ticket } = await vendor.request('POST', `${path}/invoices`, Ticket, {
        invoiceId: `INV-${shot.request.shot}`,
        amount: lowest.amount,
      }));
      return { shot: shot.request.shot, ticket };
    }),
  );
}

export function vendorTicketTable(played: readonly PlayedTicket[]): string[][] {
  return played.map(({ shot, ticket }) => [
    shot,
    String(ticket.bids.length),
    ticket.award?.vendorId ?? '',
    ticket.award ? formatMoney(ticket.award.amount) : '',
    String(ticket.reviews.length),
    ticket.invoice ? formatMoney(ticket.invoice.amount) : '',
    ticket.phase,
  ]);
}
