import {
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { TicketActivities } from '../activities';
import type { AwardBudget } from '../award-budget';
import type { Bid, TicketInput, TicketState } from '../ticket';
import { type AwardDecision, autoAwardActor, TicketMachine, type TicketStep } from '../ticket-machine';
import {
  award,
  bidSubmitted,
  cancel,
  delivered,
  invoice,
  noteAdded,
  review,
  ticketState,
} from './definitions';

/**
 * Since this patch an award's budget check prices each bid in the line's currency (`acts.budgetCheck`), so
 * a vendor may bid in its own; tickets that reached an award check before it read the line's remainder
 * alone (`acts.budgetRemaining`) and keep doing so on replay. Never reuse the id.
 */
const bidsInOtherCurrencies = 'bids-in-other-currencies';

const acts = proxyActivities<TicketActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * One vendor ticket, from opening to closing: bids until a deadline that escalates when it passes,
 * an award (by a person, or the auto-award rule), delivery against a due date that raises
 * `vendor.ticket.overdue`, review rounds, the invoice, then closed. The rules live in
 * `TicketMachine`; this function only waits, runs activities and answers messages. Every step is an
 * event appended by an activity under an id derived from the ticket, so a retried or replayed step
 * appends once. Changing what it does, or in what order, breaks running tickets: see
 * docs/vendor-tickets.md ("Changing the ticket workflow") and the replay test.
 */
export async function vendorTicket(input: TicketInput): Promise<TicketState> {
  const ticket = new TicketMachine(input, workflowInfo().workflowId);
  const { shotId, budgetLine } = input;

  /** Records the step's events, then tells the tracker (once the tracker ticket exists). */
  const run = async ({ record, tracker }: TicketStep) => {
    if (record) await acts.record(record);
    const { trackerRef } = ticket.state;
    if (tracker && trackerRef)
      await acts.updateTracker(input.terms.tracker, trackerRef, { ...tracker, ticket: { ...ticket.state } });
  };

  /** What the ledger says of the line and of `bids`, for an award. */
  const readBudget = async (bids: readonly Bid[]): Promise<AwardBudget> =>
    patched(bidsInOtherCurrencies)
      ? {
          check: await acts.budgetCheck(
            shotId,
            budgetLine,
            input.estimate.currency,
            bids.map(({ bidId, amount }) => ({ bidId, amount })),
          ),
        }
      : { remaining: await acts.budgetRemaining(shotId, budgetLine) };

  /** Awards a bid against the line's remainder; `known` is the budget when the caller just read it (the auto-award did). */
  const awardBid = async (bidId: string, decision: AwardDecision, known?: AwardBudget) => {
    const bid = ticket.awardStarted(bidId);
    try {
      const budget = known ?? (await readBudget([bid]));
      await run(ticket.award(bid, decision, budget, Date.now()));
    } finally {
      ticket.awardEnded();
    }
  };

  setHandler(ticketState, () => ticket.state);
  setHandler(
    bidSubmitted,
    async (b) => {
      const { bid, step } = ticket.bid(b, Date.now());
      await run(step);
      return bid;
    },
    { validator: (b) => ticket.checkBid(b) },
  );
  setHandler(
    award,
    async ({ bidId, ...decision }) => {
      await awardBid(bidId, decision);
      return ticket.state;
    },
    { validator: (a) => ticket.checkAward(a) },
  );
  setHandler(
    delivered,
    async (d) => {
      await run(ticket.deliver(d, Date.now()));
      return ticket.state;
    },
    { validator: (d) => ticket.checkDelivery(d) },
  );
  setHandler(
    review,
    async (r) => {
      await run(ticket.review(r, Date.now()));
      return ticket.state;
    },
    { validator: (r) => ticket.checkReview(r) },
  );
  setHandler(
    invoice,
    async (inv) => {
      await run(ticket.invoice(inv, Date.now()));
      await condition(() => ticket.closed);
      return ticket.state;
    },
    { validator: (inv) => ticket.checkInvoice(inv) },
  );
  setHandler(
    noteAdded,
    async (n) => {
      await run(ticket.note(n, Date.now()));
      return ticket.state;
    },
    { validator: (_message) => ticket.checkOpen() },
  );
  setHandler(
    cancel,
    async (c) => {
      ticket.cancel(c);
      await condition(() => ticket.closed);
      return ticket.state;
    },
    { validator: (_message) => ticket.checkOpen() },
  );

  // Opening: the tracker ticket, and the shot moves to in-progress.
  let deadline = ticket.openBidWindow(Date.now());
  ticket.opened(
    await acts.openTicket(input, {
      workflowId: ticket.state.workflowId,
      bidDeadline: ticket.state.bidDeadline!,
    }),
  );

  // Bidding, until an award; each bid deadline that passes without one escalates and opens another window.
  while (ticket.bidding) {
    const decided = await condition(() => ticket.biddingDecided, Math.max(deadline - Date.now(), 1));
    if (decided || ticket.awardInFlight) continue;
    let budget: AwardBudget | undefined;
    if (ticket.autoAwards) {
      budget = await readBudget(ticket.state.bids);
      const pick = ticket.autoAwardPick(budget);
      if (pick) {
        await awardBid(pick.bidId, { by: autoAwardActor, reason: '' }, budget);
        break;
      }
      if (!ticket.bidding) break;
    }
    await run(ticket.escalate(deadline, budget));
    deadline = ticket.openBidWindow(Date.now());
  }

  // In progress and in review, until approved; the due date passing with work outstanding is overdue.
  const due = ticket.dueAt;
  if (due !== undefined && !ticket.state.cancelled) {
    if (!(await condition(() => ticket.approvedOrCancelled, Math.max(due - Date.now(), 1)))) {
      await condition(() => ticket.approvedOrCancelled || ticket.late);
      if (ticket.late) await run(ticket.markOverdue());
    }
    await condition(() => ticket.approvedOrCancelled);
  }

  // Invoicing: the vendor's actual cost.
  await condition(() => ticket.invoicedOrCancelled);

  await acts.record(ticket.closing());
  await run(ticket.close());
  // The invoice and cancel updates answer with the closed ticket; let them (and any note) finish first.
  await condition(allHandlersFinished);
  return ticket.state;
}
