import { FxRates, toMinor } from '@shotcaller/budget';
import { FxRate, formatMoney, type Money, type Shot } from '@shotcaller/contracts';
import type { ShotcallerClient } from '@shotcaller/sdk';
import { ticketIdOf } from '@shotcaller/shots';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';

/** A demo vendor house: the currency it bills in, how it prices a shot against the estimate, how fast it works. */
interface DemoVendor {
  id: string;
  currency: 'USD' | 'ARS';
  priceFactor(category: string): number;
  turnaroundDays: number;
}

/**
 * The demo's vendor houses. The two studios abroad bill in dollars; the Buenos Aires house bids and
 * invoices in pesos, and its artists undercut them on crowd and comp work, not on the hero simulation.
 */
export const demoVendors: readonly DemoVendor[] = [
  { id: 'ironbark-vfx', currency: 'USD', priceFactor: () => 0.94, turnaroundDays: 12 },
  { id: 'northlight', currency: 'USD', priceFactor: () => 1.06, turnaroundDays: 9 },
  {
    id: 'estudio-austral',
    currency: 'ARS',
    priceFactor: (category) => (category === 'destruction' ? 1.12 : 0.86),
    turnaroundDays: 14,
  },
];

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
  shotId: string;
  ticket: Ticket;
}

const HeldRates = z.object({
  rates: z.array(FxRate.extend({ recordedAt: z.string(), eventId: z.string() })),
});

/** `money` in `currency` at today's rate in the ledger, exactly as the ledger converts it. */
function converter(rates: FxRates) {
  return (money: Money, currency: string): number => {
    const converted = rates.convert(money, currency, new Date().toISOString());
    if ('missing' in converted)
      throw new Error(
        `The demo's ledger has no ${converted.missing.from}→${converted.missing.to} rate for ${converted.missing.date}`,
      );
    return converted.amountMinor;
  };
}

/**
 * Plays both sides of each vendor ticket through the vendor API: every vendor bids from its own
 * token in its own currency, the producer awards the lowest bid in the estimate's currency at the
 * ledger's rate of the day (the ticket checks it against the line the same way), the winner
 * delivers, the first shot gets a round of notes, and each approved shot is invoiced at its bid.
 */
export async function playVendorTickets(
  shots: readonly Shot[],
  clients: { producer: ShotcallerClient; vendor(id: string): ShotcallerClient },
): Promise<PlayedTicket[]> {
  const { data } = await clients.producer.request('GET', '/v1/fx-rates', HeldRates);
  const inCurrency = converter(new FxRates(data.rates));
  const vendorShots = shots.filter((s) => s.route === 'vendor' && s.vendorWorkflowId);
  return Promise.all(
    vendorShots.map(async (shot, i) => {
      const ticketId = ticketIdOf(shot.id);
      const path = `/v1/vendor/tickets/${ticketId}`;
      const estimate = shot.decision!.estimates.vendor.cost;
      for (const v of demoVendors) {
        const price: Money = {
          amountMinor: Math.round(estimate.amountMinor * v.priceFactor(shot.request.category)),
          currency: estimate.currency,
        };
        // A peso quote is to the whole peso.
        const amount: Money =
          v.currency === price.currency
            ? price
            : { amountMinor: Math.round(inCurrency(price, v.currency) / 100) * 100, currency: v.currency };
        await clients.vendor(v.id).request('POST', `${path}/bids`, z.unknown(), {
          amount,
          turnaroundDays: v.turnaroundDays,
          note: `${v.id}: ${shot.request.category}, ${shot.request.frames.end - shot.request.frames.start + 1} frames`,
        });
      }
      let { data: ticket } = await clients.producer.request('GET', path, Ticket);
      const lowest = [...ticket.bids].sort(
        (a, b) => inCurrency(a.amount, estimate.currency) - inCurrency(b.amount, estimate.currency),
      )[0]!;
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
      return { shot: shot.request.shot, shotId: shot.id, ticket };
    }),
  );
}

/** Per shot id, its committed and actual in the reporting currency, as the ledger's cost report has them. */
export async function ledgerRows(
  client: ShotcallerClient,
): Promise<Map<string, { committed: Money; actual: Money }>> {
  const csv = await client.text('GET', '/v1/budgets/report.csv?show=NTH');
  const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
  const money = (amount: string, currency: string): Money => ({
    amountMinor: toMinor(amount, currency, 'report.csv'),
    currency,
  });
  return new Map(
    rows.map((r) => [
      r.shot_id!,
      {
        committed: money(r.committed!, r.reporting_currency!),
        actual: money(r.actual!, r.reporting_currency!),
      },
    ]),
  );
}

/** The vendor tickets, each amount as billed beside the ledger's figure in the reporting currency. */
export function vendorTicketTable(
  played: readonly PlayedTicket[],
  ledger: ReadonlyMap<string, { committed: Money; actual: Money }>,
): string[][] {
  return played.map(({ shot, shotId, ticket }) => {
    const row = ledger.get(shotId);
    return [
      shot,
      String(ticket.bids.length),
      ticket.award?.vendorId ?? '',
      ticket.award ? formatMoney(ticket.award.amount) : '',
      row ? formatMoney(row.committed) : '',
      String(ticket.reviews.length),
      ticket.invoice ? formatMoney(ticket.invoice.amount) : '',
      row ? formatMoney(row.actual) : '',
      ticket.phase,
    ];
  });
}
