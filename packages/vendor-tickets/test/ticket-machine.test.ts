import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { AwardBudget } from '../src/award-budget';
import {
  type BidPrice,
  type TicketInput,
  TicketInput as TicketInputSchema,
  type TicketTermsInput,
} from '../src/ticket';
import { TicketMachine } from '../src/ticket-machine';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const DAY = 86_400_000;
const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const ars = (amountMinor: number) => ({ amountMinor, currency: 'ARS' });
const files = [{ uri: 's3://deliveries/COL_0070_v001.exr', sha256: 'a'.repeat(64) }];

function aTicket(terms: Partial<TicketTermsInput> = {}): TicketMachine {
  const input: TicketInput = TicketInputSchema.parse({
    ticketId: 'tk-01',
    shotId: 'sh-01',
    show: 'NTH',
    label: 'NTH/EP01/COL/COL_0070',
    brief: 'building collapse',
    frames: { start: 1001, end: 1100 },
    budgetLine: 'NTH-VFX',
    estimate: usd(1_000_000),
    terms: { vendors: ['vendor-a', 'vendor-b'], ...terms },
  });
  return new TicketMachine(input, 'wf-tk-01');
}

/** A ticket open for bids, with its tracker ticket. */
function bidding(terms: Partial<TicketTermsInput> = {}) {
  const t = aTicket(terms);
  t.openBidWindow(T0);
  t.opened({ trackerRef: 'local-1', shotCancelled: false });
  return t;
}
const aBid = (t: TicketMachine, vendorId = 'vendor-a', amountMinor = 900_000, turnaroundDays = 10) =>
  t.bid({ vendorId, amount: usd(amountMinor), turnaroundDays, note: '' }, T0 + 1_000).bid;
const aPesoBid = (t: TicketMachine, vendorId: string, amountMinor: number) =>
  t.bid({ vendorId, amount: ars(amountMinor), turnaroundDays: 10, note: '' }, T0 + 2_000).bid;

/**
 * The ledger's answer to an award check on T0's day: `left` (USD cents) on the line, undefined for no
 * line; each bid in USD priced as billed, and the others as `prices` says.
 */
function checked(t: TicketMachine, left: number | undefined, prices: BidPrice[] = []): AwardBudget {
  const asBilled = t.state.bids
    .filter((b) => b.amount.currency === 'USD')
    .map((b) => ({ bidId: b.bidId, amount: b.amount }));
  return {
    check: {
      currency: 'USD',
      date: '2026-03-02',
      ...(left === undefined ? {} : { remaining: usd(left) }),
      prices: [...asBilled, ...prices],
    },
  };
}
const noRate = (bidId: string) => ({
  bidId,
  missing: { from: 'ARS', to: 'USD', date: '2026-03-02' },
});

/** A ticket awarded to vendor-a, 10 days' turnaround, at T0 + 1 h. */
function awarded() {
  const t = bidding();
  const bid = aBid(t);
  t.award(bid, { by: 'ana', reason: '' }, checked(t, 5_000_000), T0 + 3_600_000);
  return t;
}
function inReview() {
  const t = awarded();
  t.deliver({ vendorId: 'vendor-a', files, note: '' }, T0 + 2 * DAY);
  return t;
}
function invoicing() {
  const t = inReview();
  t.review({ outcome: 'approved', notes: '', by: 'ana' }, T0 + 3 * DAY);
  return t;
}

/** The refusal `act` throws: a non-retryable ApplicationFailure of a type TicketClient maps to an error. */
function refusal(act: () => unknown): { type: string | undefined | null; message: string } {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(ApplicationFailure);
    const failure = error as ApplicationFailure;
    expect(failure.nonRetryable).toBe(true);
    return { type: failure.type, message: failure.message };
  }
  throw new Error('expected a refusal, and the ticket took the message');
}

describe('a ticket opening', () => {
  it('opens a bid window from now for the terms’ length, and says when it closes', () => {
    const t = aTicket({ bidWindowMs: 5_000 });
    expect(t.state.phase).toBe('opening');
    expect(t.openBidWindow(T0)).toBe(T0 + 5_000);
    expect(t.state.bidDeadline).toBe(new Date(T0 + 5_000).toISOString());
  });

  it('takes bids once its tracker ticket is open', () => {
    const t = aTicket();
    t.opened({ trackerRef: 'local-1', shotCancelled: false });
    expect(t.state).toMatchObject({ trackerRef: 'local-1', phase: 'bidding' });
    expect(t.bidding).toBe(true);
  });

  it('is cancelled when its shot was cancelled while the tracker ticket was being opened', () => {
    const t = aTicket();
    t.opened({ trackerRef: 'local-1', shotCancelled: true });
    expect(t.state.cancelled).toEqual({ by: 'shotcaller', reason: 'the shot was cancelled' });
    expect(t.bidding).toBe(false);
  });

  it('keeps an award that came in while the tracker ticket was being opened', () => {
    const t = aTicket();
    t.openBidWindow(T0);
    const bid = aBid(t);
    t.award(bid, { by: 'ana', reason: '' }, checked(t, undefined), T0);
    t.opened({ trackerRef: 'local-1', shotCancelled: false });
    expect(t.state.phase).toBe('in-progress');
  });
});

describe('bids', () => {
  it('numbers each bid, stamps it and records vendor.bid.received under an id derived from it', () => {
    const t = bidding();
    aBid(t, 'vendor-a');
    const { bid, step } = t.bid(
      { vendorId: 'vendor-b', amount: usd(700_000), turnaroundDays: 12, note: 'two rounds' },
      T0 + 5_000,
    );
    expect(bid).toMatchObject({ bidId: 'bid-2', at: new Date(T0 + 5_000).toISOString() });
    expect(t.state.bids.map((b) => b.bidId)).toEqual(['bid-1', 'bid-2']);
    expect(step).toEqual({
      record: {
        shotId: 'sh-01',
        events: [
          {
            id: 'tk-01/bid-2',
            type: 'io.shotcaller.vendor.bid.received.v1',
            data: {
              shotId: 'sh-01',
              ticketId: 'tk-01',
              bidId: 'bid-2',
              vendorId: 'vendor-b',
              amount: usd(700_000),
              turnaroundDays: 12,
              note: 'two rounds',
            },
          },
        ],
      },
    });
  });

  it('takes a bid while the ticket is still opening (vendors see it in their tracker first)', () => {
    expect(() =>
      aTicket().checkBid({ vendorId: 'vendor-a', amount: usd(1), turnaroundDays: 1, note: '' }),
    ).not.toThrow();
  });

  it('takes a bid in the vendor’s own currency, and records it as billed', () => {
    const t = bidding();
    expect(() =>
      t.checkBid({ vendorId: 'vendor-b', amount: ars(650_000_000), turnaroundDays: 9, note: '' }),
    ).not.toThrow();
    const { step } = t.bid(
      { vendorId: 'vendor-b', amount: ars(650_000_000), turnaroundDays: 9, note: '' },
      T0,
    );
    expect(step.record!.events[0]!.data).toMatchObject({ amount: ars(650_000_000) });
  });

  const aBidInput = { vendorId: 'vendor-a', amount: usd(1), turnaroundDays: 1, note: '' };
  it.each([
    ['from a vendor not invited', bidding, { vendorId: 'vendor-z' }, 'TicketForbidden', /not invited/],
    [
      'after the award',
      awarded,
      {},
      'TicketRefused',
      /is in-progress: a bid is only taken while opening or bidding/,
    ],
  ] as const)('refuses a bid %s', (_what, ticket, change, type, message) => {
    const t = ticket();
    const refused = refusal(() => t.checkBid({ ...aBidInput, ...change }));
    expect(refused.type).toBe(type);
    expect(refused.message).toMatch(message);
  });

  it('refuses bids while an award is being made, and takes them again if it fails', () => {
    const t = bidding();
    const bid = aBid(t);
    t.awardStarted(bid.bidId);
    expect(refusal(() => t.checkBid(aBidInput)).message).toMatch(/is being awarded; bids are closed/);
    t.awardEnded();
    expect(() => t.checkBid(aBidInput)).not.toThrow();
  });
});

describe('the award', () => {
  it('awards a bid within budget: due turnaround days from now, in progress, recorded and told to the tracker', () => {
    const t = bidding({ dayMs: 1_000 });
    const bid = aBid(t, 'vendor-b', 800_000, 3);
    const step = t.award(bid, { by: 'ana', reason: '' }, checked(t, 900_000), T0 + 10_000);
    const dueAt = new Date(T0 + 10_000 + 3_000).toISOString();
    expect(t.state.award).toEqual({
      bidId: 'bid-1',
      vendorId: 'vendor-b',
      amount: usd(800_000),
      dueAt,
      by: 'ana',
    });
    expect(t.state.phase).toBe('in-progress');
    expect(t.bidding).toBe(false);
    expect(step.record!.events).toEqual([
      {
        id: 'tk-01/awarded',
        type: 'io.shotcaller.vendor.ticket.awarded.v1',
        data: {
          shotId: 'sh-01',
          ticketId: 'tk-01',
          bidId: 'bid-1',
          vendorId: 'vendor-b',
          amount: usd(800_000),
          dueAt,
          awardedBy: 'ana',
        },
      },
    ]);
    expect(step.tracker).toEqual({ status: 'awarded', note: `Awarded to vendor-b by ana, due ${dueAt}` });
  });

  it('refuses a bid over what the budget line has left, and changes nothing', () => {
    const t = bidding();
    const bid = aBid(t, 'vendor-a', 2_000_000);
    const refused = refusal(() => t.award(bid, { by: 'ana', reason: '' }, checked(t, 1_500_000), T0));
    expect(refused.type).toBe('OverBudget');
    expect(refused.message).toMatch(
      /over what budget line NTH-VFX has left \(1500000 USD\).*overBudgetApprovedBy/,
    );
    expect(t.state.award).toBeUndefined();
    expect(t.state.phase).toBe('bidding');
  });

  it('awards over budget with the name of who approved the overrun, and records the approval', () => {
    const t = bidding();
    const bid = aBid(t, 'vendor-a', 2_000_000);
    const step = t.award(
      bid,
      { by: 'ana', overBudgetApprovedBy: 'ines', reason: '' },
      checked(t, 1_500_000),
      T0,
    );
    expect(t.state.award).toMatchObject({ overBudgetApprovedBy: 'ines' });
    expect(step.record!.events.map((e) => e.id)).toEqual(['tk-01/awarded', 'tk-01/overrun-approved']);
    expect(step.record!.events[1]).toMatchObject({
      type: 'io.shotcaller.budget.overrun.approved.v1',
      data: {
        lineId: 'NTH-VFX',
        amount: usd(2_000_000),
        remaining: usd(1_500_000),
        approvedBy: 'ines',
        reason: 'award of tk-01 to vendor-a',
      },
    });
  });

  it('does not record an approval that was not needed', () => {
    const t = bidding();
    const bid = aBid(t);
    const step = t.award(
      bid,
      { by: 'ana', overBudgetApprovedBy: 'ines', reason: 'x' },
      checked(t, 5_000_000),
      T0,
    );
    expect(t.state.award).not.toHaveProperty('overBudgetApprovedBy');
    expect(step.record!.events).toHaveLength(1);
  });

  it('awards any bid when the shot has no budget line', () => {
    const t = bidding();
    const bid = aBid(t, 'vendor-a', 90_000_000_000);
    t.award(bid, { by: 'ana', reason: '' }, checked(t, undefined), T0);
    expect(t.state.phase).toBe('in-progress');
  });

  it('refuses an award of a bid it does not have, naming the bids it has', () => {
    const t = bidding();
    expect(refusal(() => t.checkAward({ bidId: 'bid-7' }))).toEqual({
      type: 'TicketNotFound',
      message: 'Ticket tk-01 has no bid bid-7; its bids are none yet',
    });
    aBid(t);
    expect(refusal(() => t.checkAward({ bidId: 'bid-7' })).message).toMatch(/its bids are bid-1$/);
  });

  it('refuses a second award, while the first is being made and once it is', () => {
    const t = bidding();
    const bid = aBid(t);
    t.awardStarted(bid.bidId);
    expect(refusal(() => t.checkAward({ bidId: 'bid-1' })).message).toMatch(/already being awarded/);
    t.award(bid, { by: 'ana', reason: '' }, checked(t, undefined), T0);
    t.awardEnded();
    expect(refusal(() => t.checkAward({ bidId: 'bid-1' })).message).toMatch(/is in-progress: an award/);
  });
});

describe('a bid deadline passing', () => {
  it('is undecided while bidding, and while an award is half made', () => {
    const t = bidding();
    expect(t.biddingDecided).toBe(false);
    const bid = aBid(t);
    t.awardStarted(bid.bidId);
    t.award(bid, { by: 'ana', reason: '' }, checked(t, undefined), T0);
    expect(t.biddingDecided).toBe(false);
    expect(t.awardInFlight).toBe(true);
    t.awardEnded();
    expect(t.biddingDecided).toBe(true);
  });

  it('is decided by a cancellation', () => {
    const t = bidding();
    t.cancel({ by: 'ana', reason: 'cut' });
    expect(t.biddingDecided).toBe(true);
  });

  it('escalates with no bids in, and opens another window', () => {
    const t = bidding({ bidWindowMs: 60_000 });
    const step = t.escalate(T0 + 60_000);
    expect(t.state.escalations).toBe(1);
    const reason = `No bids by ${new Date(T0 + 60_000).toISOString()}`;
    expect(step).toEqual({
      record: {
        shotId: 'sh-01',
        events: [
          {
            id: 'tk-01/escalated-1',
            type: 'io.shotcaller.vendor.bids.escalated.v1',
            data: { shotId: 'sh-01', ticketId: 'tk-01', reason },
          },
        ],
      },
      tracker: { status: 'escalated', note: reason },
    });
    expect(t.openBidWindow(T0 + 61_000)).toBe(T0 + 121_000);
  });

  it('escalates bids waiting for a person’s award, counting each escalation', () => {
    const t = bidding();
    aBid(t);
    aBid(t, 'vendor-b');
    t.escalate(T0);
    const step = t.escalate(T0 + 1);
    expect(t.state.escalations).toBe(2);
    expect(step.record!.events[0]!.id).toBe('tk-01/escalated-2');
    expect(step.tracker!.note).toMatch(/^2 bid\(s\) waiting for an award since /);
  });

  it('auto-awards only when the terms say so and there are bids', () => {
    expect(bidding({ autoAward: 'lowest-within-budget' }).autoAwards).toBe(false);
    const manual = bidding({ autoAward: 'none' });
    aBid(manual);
    expect(manual.autoAwards).toBe(false);
    const auto = bidding({ autoAward: 'lowest-within-budget' });
    aBid(auto);
    expect(auto.autoAwards).toBe(true);
  });

  it('picks the lowest bid within the line, none when every bid is over, none once decided', () => {
    const t = bidding({ autoAward: 'lowest-within-budget' });
    aBid(t, 'vendor-a', 700_000);
    aBid(t, 'vendor-b', 650_000);
    expect(t.autoAwardPick(checked(t, 1_000_000))?.vendorId).toBe('vendor-b');
    expect(t.autoAwardPick(checked(t, 600_000))).toBeUndefined();
    t.cancel({ by: 'ana', reason: 'cut' });
    expect(t.autoAwardPick(checked(t, 1_000_000))).toBeUndefined();
  });

  it('does not auto-award over a person’s award in flight', () => {
    const t = bidding({ autoAward: 'lowest-within-budget' });
    const bid = aBid(t);
    t.awardStarted(bid.bidId);
    expect(t.autoAwardPick(checked(t, undefined))).toBeUndefined();
  });
});

describe('bids in another currency than the budget line’s', () => {
  it('awards a peso bid whose price in dollars is within the line, though its pesos are not', () => {
    const t = bidding();
    const bid = aPesoBid(t, 'vendor-b', 650_000_000);
    // ARS 6,500,000.00 at 1000 pesos a dollar is USD 6,500.00: within USD 7,000.00.
    const step = t.award(
      bid,
      { by: 'ana', reason: '' },
      checked(t, 700_000, [{ bidId: bid.bidId, amount: usd(650_000) }]),
      T0,
    );
    expect(t.state.award).toMatchObject({ vendorId: 'vendor-b', amount: ars(650_000_000) });
    expect(step.record!.events.map((e) => e.type)).toEqual(['io.shotcaller.vendor.ticket.awarded.v1']);
    expect(step.record!.events[0]!.data).toMatchObject({ amount: ars(650_000_000) });
  });

  it('refuses a peso bid over the line in dollars, saying what it came to; approved, the overrun keeps the pesos', () => {
    const t = bidding();
    const bid = aPesoBid(t, 'vendor-b', 650_000_000);
    const budget = checked(t, 600_000, [{ bidId: bid.bidId, amount: usd(650_000) }]);
    const refused = refusal(() => t.award(bid, { by: 'ana', reason: '' }, budget, T0));
    expect(refused.type).toBe('OverBudget');
    expect(refused.message).toBe(
      'Bid bid-1 (650000000 ARS minor units, 650000 USD minor units at the rate of 2026-03-02) is over what budget line NTH-VFX has left (600000 USD); award it with overBudgetApprovedBy naming who approved the overrun',
    );
    const step = t.award(bid, { by: 'ana', overBudgetApprovedBy: 'ines', reason: '' }, budget, T0);
    expect(step.record!.events[1]).toMatchObject({
      type: 'io.shotcaller.budget.overrun.approved.v1',
      data: {
        amount: ars(650_000_000),
        remaining: usd(600_000),
        reason: 'award of tk-01 to vendor-b (650000 USD minor units at the rate of 2026-03-02)',
      },
    });
  });

  it('refuses to award a bid whose rate is missing, even with an overrun approval, naming the rate', () => {
    const t = bidding();
    const bid = aPesoBid(t, 'vendor-b', 650_000_000);
    const budget = checked(t, 5_000_000, [noRate(bid.bidId)]);
    for (const decision of [
      { by: 'ana', reason: '' },
      { by: 'ana', overBudgetApprovedBy: 'ines', reason: '' },
    ]) {
      const refused = refusal(() => t.award(bid, decision, budget, T0));
      expect(refused.type).toBe('RateMissing');
      expect(refused.message).toMatch(
        /^Bid bid-1 is in ARS and the ledger has no ARS→USD rate for 2026-03-02, so it cannot be checked against what budget line NTH-VFX has left: record the rate/,
      );
    }
    expect(t.state.award).toBeUndefined();
  });

  it('awards a bid whose rate is missing when the shot has no line to check it against', () => {
    const t = bidding();
    const bid = aPesoBid(t, 'vendor-b', 650_000_000);
    t.award(bid, { by: 'ana', reason: '' }, checked(t, undefined, [noRate(bid.bidId)]), T0);
    expect(t.state.award).toMatchObject({ amount: ars(650_000_000) });
  });

  it('refuses a bid too large to convert exactly', () => {
    const t = bidding();
    const bid = aPesoBid(t, 'vendor-b', 650_000_000);
    const refused = refusal(() =>
      t.award(
        bid,
        { by: 'ana', reason: '' },
        checked(t, 5_000_000, [{ bidId: bid.bidId, tooLarge: true }]),
        T0,
      ),
    );
    expect(refused.message).toMatch(/too large to convert into USD exactly/);
  });

  it('auto-awards the lowest bid by its price in the line’s currency, not by its number', () => {
    const t = bidding({ autoAward: 'lowest-within-budget' });
    aBid(t, 'vendor-a', 700_000);
    const pesos = aPesoBid(t, 'vendor-b', 650_000_000);
    expect(
      t.autoAwardPick(checked(t, 1_000_000, [{ bidId: pesos.bidId, amount: usd(650_000) }]))?.vendorId,
    ).toBe('vendor-b');
    // At 900 pesos a dollar the same pesos are USD 7,222.22: the dollar bid is lower.
    expect(
      t.autoAwardPick(checked(t, 1_000_000, [{ bidId: pesos.bidId, amount: usd(722_222) }]))?.vendorId,
    ).toBe('vendor-a');
    expect(
      t.autoAwardPick(checked(t, 680_000, [{ bidId: pesos.bidId, amount: usd(650_000) }]))?.vendorId,
    ).toBe('vendor-b');
  });

  it('auto-awards nothing while a bid has no rate, and its escalation names the rate', () => {
    const t = bidding({ autoAward: 'lowest-within-budget' });
    aBid(t, 'vendor-a', 700_000);
    const pesos = aPesoBid(t, 'vendor-b', 650_000_000);
    const budget = checked(t, 1_000_000, [noRate(pesos.bidId)]);
    expect(t.autoAwardPick(budget)).toBeUndefined();
    expect(t.escalate(T0 + 60_000, budget).tracker!.note).toBe(
      `2 bid(s) waiting for an award since ${new Date(T0 + 60_000).toISOString()}; not auto-awarded, since bid-2 has no ARS→USD rate for 2026-03-02: record the rate, or award a bid by hand`,
    );
  });

  it('leaves a bid that came in after the check for the next deadline', () => {
    const t = bidding({ autoAward: 'lowest-within-budget' });
    aBid(t, 'vendor-a', 700_000);
    const budget = checked(t, 1_000_000);
    aBid(t, 'vendor-b', 100_000);
    expect(t.autoAwardPick(budget)?.vendorId).toBe('vendor-a');
  });
});

describe('a ticket that read its budget before bids in other currencies (the patch)', () => {
  const remaining = (amountMinor: number | undefined): AwardBudget => ({
    remaining: amountMinor === undefined ? undefined : usd(amountMinor),
  });

  it('compares amounts as billed against the remainder alone, as it did when it ran', () => {
    const t = bidding({ autoAward: 'lowest-within-budget' });
    const a = aBid(t, 'vendor-a', 700_000);
    aBid(t, 'vendor-b', 650_000);
    expect(t.autoAwardPick(remaining(1_000_000))?.vendorId).toBe('vendor-b');
    expect(t.autoAwardPick(remaining(600_000))).toBeUndefined();
    expect(refusal(() => t.award(a, { by: 'ana', reason: '' }, remaining(600_000), T0)).type).toBe(
      'OverBudget',
    );
    t.award(a, { by: 'ana', reason: '' }, remaining(undefined), T0);
    expect(t.state.award).toMatchObject({ vendorId: 'vendor-a' });
  });

  it('took a bid in another currency than its line’s as within it, and never auto-awarded it', () => {
    const t = bidding({ autoAward: 'lowest-within-budget' });
    const pesos = aPesoBid(t, 'vendor-b', 650_000_000);
    expect(t.autoAwardPick(remaining(1_000_000))).toBeUndefined();
    t.award(pesos, { by: 'ana', reason: '' }, remaining(1_000), T0);
    expect(t.state.award).toMatchObject({ vendorId: 'vendor-b' });
  });
});

describe('deliveries and reviews', () => {
  it('takes a delivery from the awarded vendor: a new version, in review, the shot delivered', () => {
    const t = awarded();
    const step = t.deliver({ vendorId: 'vendor-a', files, note: 'first pass' }, T0 + DAY);
    expect(t.state.phase).toBe('in-review');
    expect(t.state.deliveries).toEqual([
      { version: 1, files, note: 'first pass', at: new Date(T0 + DAY).toISOString() },
    ]);
    expect(step.record).toMatchObject({ shotId: 'sh-01', to: 'delivered' });
    expect(step.record!.events.map((e) => [e.id, e.type])).toEqual([
      ['tk-01/delivery-1', 'io.shotcaller.vendor.delivery.received.v1'],
      ['tk-01/delivered-1', 'io.shotcaller.shot.delivered.v1'],
    ]);
    expect(step.record!.events[1]!.data).toEqual({
      shotId: 'sh-01',
      route: 'vendor',
      version: 1,
      outputs: [{ uri: files[0]!.uri, sha256: files[0]!.sha256 }],
    });
    expect(step.tracker).toEqual({ status: 'delivered', note: 'Version 1 delivered: first pass' });
  });

  it.each([
    [
      'from another vendor than the awarded one',
      awarded,
      'vendor-b',
      'TicketForbidden',
      /awarded to vendor-a, not vendor-b/,
    ],
    [
      'before the award',
      bidding,
      'vendor-a',
      'TicketRefused',
      /is bidding: a delivery is only taken while in-progress/,
    ],
    [
      'while the last version is in review',
      inReview,
      'vendor-a',
      'TicketRefused',
      /is in-review: a delivery/,
    ],
  ] as const)('refuses a delivery %s', (_what, ticket, vendorId, type, message) => {
    const t = ticket();
    const refused = refusal(() => t.checkDelivery({ vendorId }));
    expect(refused.type).toBe(type);
    expect(refused.message).toMatch(message);
  });

  it('sends the vendor back to work when changes are requested, recording the round', () => {
    const t = inReview();
    const step = t.review({ outcome: 'changes-requested', notes: 'More dust', by: 'ana' }, T0 + 3 * DAY);
    expect(t.state.phase).toBe('in-progress');
    expect(t.state.reviews).toEqual([
      {
        round: 1,
        version: 1,
        outcome: 'changes-requested',
        notes: 'More dust',
        by: 'ana',
        at: new Date(T0 + 3 * DAY).toISOString(),
      },
    ]);
    expect(step.record).toMatchObject({ to: 'in-progress', events: [{ id: 'tk-01/review-1' }] });
    expect(step.tracker).toEqual({
      status: 'changes-requested',
      note: 'Round 1 on version 1: changes-requested — More dust',
    });
    t.deliver({ vendorId: 'vendor-a', files, note: '' }, T0 + 4 * DAY);
    expect(t.state.deliveries.map((d) => d.version)).toEqual([1, 2]);
  });

  it('moves on to the invoice when approved, and approves the shot', () => {
    const t = inReview();
    const step = t.review({ outcome: 'approved', notes: '', by: 'ana' }, T0 + 3 * DAY);
    expect(t.state.phase).toBe('invoicing');
    expect(t.approvedOrCancelled).toBe(true);
    expect(step.record).toMatchObject({ shotId: 'sh-01', to: 'approved' });
    expect(step.record!.events.map((e) => e.type)).toEqual([
      'io.shotcaller.vendor.review.recorded.v1',
      'io.shotcaller.shot.approved.v1',
    ]);
    expect(step.record!.events[1]!.data).toEqual({ shotId: 'sh-01', by: 'ana', note: '' });
    expect(step.tracker!.note).toBe('Round 1 on version 1: approved');
  });

  it('refuses a request for changes that does not say what to change', () => {
    expect(
      refusal(() => inReview().checkReview({ outcome: 'changes-requested', notes: '  ' })).message,
    ).toMatch(/needs notes/);
  });

  it('refuses a review with nothing in review', () => {
    expect(refusal(() => awarded().checkReview({ outcome: 'approved', notes: '' })).message).toMatch(
      /is in-progress: a review is only taken while in-review/,
    );
  });
});

describe('the due date', () => {
  it('is the award’s', () => {
    expect(bidding().dueAt).toBeUndefined();
    const t = awarded();
    expect(t.dueAt).toBe(Date.parse(t.state.award!.dueAt));
  });

  it('makes a vendor late with work outstanding, not with a version in review, not once approved', () => {
    expect(awarded().late).toBe(true);
    const t = inReview();
    expect(t.late).toBe(false);
    t.review({ outcome: 'changes-requested', notes: 'again', by: 'ana' }, T0);
    expect(t.late).toBe(true);
    expect(invoicing().late).toBe(false);
  });

  it('is not late once cancelled', () => {
    const t = awarded();
    t.cancel({ by: 'ana', reason: 'cut' });
    expect(t.late).toBe(false);
    expect(t.approvedOrCancelled).toBe(true);
  });

  it('marks the ticket overdue once, with an event naming the vendor and the date', () => {
    const t = awarded();
    const step = t.markOverdue();
    expect(t.state.overdue).toBe(true);
    const { dueAt } = t.state.award!;
    expect(step).toEqual({
      record: {
        shotId: 'sh-01',
        events: [
          {
            id: 'tk-01/overdue',
            type: 'io.shotcaller.vendor.ticket.overdue.v1',
            data: { shotId: 'sh-01', ticketId: 'tk-01', vendorId: 'vendor-a', dueAt },
          },
        ],
      },
      tracker: { status: 'overdue', note: `Past due (${dueAt})` },
    });
  });
});

describe('the invoice', () => {
  it('records the vendor’s invoice as the actual cost', () => {
    const t = invoicing();
    const step = t.invoice({ vendorId: 'vendor-a', invoiceId: 'INV-1', amount: usd(950_000) }, T0 + 5 * DAY);
    expect(t.state.invoice).toEqual({
      vendorId: 'vendor-a',
      invoiceId: 'INV-1',
      amount: usd(950_000),
      at: new Date(T0 + 5 * DAY).toISOString(),
    });
    expect(t.invoicedOrCancelled).toBe(true);
    expect(step.record!.events).toEqual([
      {
        id: 'tk-01/invoice-INV-1',
        type: 'io.shotcaller.vendor.invoice.received.v1',
        data: {
          shotId: 'sh-01',
          ticketId: 'tk-01',
          vendorId: 'vendor-a',
          invoiceId: 'INV-1',
          amount: usd(950_000),
        },
      },
    ]);
  });

  it('refuses an invoice before approval, from another vendor, a second one, and in another currency', () => {
    const inv = { vendorId: 'vendor-a', amount: usd(1) };
    expect(refusal(() => inReview().checkInvoice(inv)).message).toMatch(/is in-review: an invoice/);
    expect(refusal(() => invoicing().checkInvoice({ ...inv, vendorId: 'vendor-b' })).type).toBe(
      'TicketForbidden',
    );
    const t = invoicing();
    t.invoice({ ...inv, invoiceId: 'INV-1' }, T0);
    expect(refusal(() => t.checkInvoice(inv)).message).toMatch(/already has invoice INV-1/);
    expect(
      refusal(() => invoicing().checkInvoice({ ...inv, amount: { amountMinor: 1, currency: 'EUR' } }))
        .message,
    ).toMatch(/The award was in USD; invoice in the same currency/);
  });
});

describe('notes, cancellation and closing', () => {
  it('passes a note to the vendor’s tracker and keeps it, recording no event', () => {
    const t = awarded();
    const step = t.note({ by: 'ana', text: 'Re-cut: 12 frames longer' }, T0);
    expect(t.state.notes).toEqual([
      { by: 'ana', text: 'Re-cut: 12 frames longer', at: new Date(T0).toISOString() },
    ]);
    expect(step).toEqual({ tracker: { status: 'note', note: 'ana: Re-cut: 12 frames longer' } });
  });

  it('closes a completed ticket: the close recorded whatever the shot does, then the tracker told', () => {
    const t = invoicing();
    t.invoice({ vendorId: 'vendor-a', invoiceId: 'INV-1', amount: usd(1) }, T0);
    expect(t.closing()).toEqual({
      shotId: 'sh-01',
      events: [],
      always: [
        {
          id: 'tk-01/closed',
          type: 'io.shotcaller.vendor.ticket.closed.v1',
          data: { shotId: 'sh-01', ticketId: 'tk-01', outcome: 'completed' },
        },
      ],
    });
    expect(t.closed).toBe(false);
    expect(t.close()).toEqual({ tracker: { status: 'closed', note: 'Completed' } });
    expect(t.state).toMatchObject({ phase: 'closed', outcome: 'completed' });
  });

  it('closes a cancelled ticket by cancelling its shot', () => {
    const t = awarded();
    t.cancel({ by: 'ana', reason: 'the sequence was cut' });
    expect(t.invoicedOrCancelled).toBe(true);
    expect(t.closing()).toMatchObject({
      to: 'cancelled',
      events: [
        {
          id: 'tk-01/shot-cancelled',
          type: 'io.shotcaller.shot.cancelled.v1',
          data: { shotId: 'sh-01', by: 'ana', reason: 'the sequence was cut' },
        },
      ],
      always: [{ id: 'tk-01/closed', data: { outcome: 'cancelled' } }],
    });
    expect(t.close().tracker!.note).toBe('Cancelled: the sequence was cut');
    expect(t.state.outcome).toBe('cancelled');
  });

  it('refuses every message once cancelling, and once closed', () => {
    const cancelling = awarded();
    cancelling.cancel({ by: 'ana', reason: 'cut' });
    expect(refusal(() => cancelling.checkOpen())).toEqual({
      type: 'TicketClosed',
      message: 'Ticket tk-01 is being cancelled',
    });
    expect(refusal(() => cancelling.checkDelivery({ vendorId: 'vendor-a' })).type).toBe('TicketClosed');

    const closed = awarded();
    closed.cancel({ by: 'ana', reason: 'cut' });
    closed.close();
    expect(refusal(() => closed.checkOpen())).toEqual({
      type: 'TicketClosed',
      message: 'Ticket tk-01 is closed (cancelled); it takes no more messages',
    });
    expect(
      refusal(() => closed.checkBid({ vendorId: 'vendor-a', amount: usd(1), turnaroundDays: 1, note: '' }))
        .type,
    ).toBe('TicketClosed');
  });
});
