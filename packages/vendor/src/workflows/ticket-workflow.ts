import {
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { TicketActivities } from '../activities';
import { lowestBidWithinBudget, overBudget } from '../auto-award';
import type { Bid, TicketInput, TicketState } from '../ticket';
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

const acts = proxyActivities<TicketActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * One vendor ticket, from opening to closing: bids until a deadline that escalates when it passes,
 * an award (by a person, or the auto-award rule), delivery against a due date that raises
 * `vendor.ticket.overdue`, review rounds, the invoice, then closed. Every step is an event appended by
 * an activity under an id derived from the ticket, so a retried or replayed step appends once.
 */
export async function vendorTicket(input: TicketInput): Promise<TicketState> {
  const { ticketId, shotId } = input;
  const state: TicketState = {
    ticketId,
    workflowId: workflowInfo().workflowId,
    shotId,
    show: input.show,
    label: input.label,
    tracker: input.terms.tracker,
    vendors: input.terms.vendors,
    phase: 'opening',
    escalations: 0,
    bids: [],
    overdue: false,
    deliveries: [],
    reviews: [],
  };
  let awarding = false;
  const now = () => new Date().toISOString();
  const eventId = (step: string) => `${ticketId}/${step}`;
  const refuse = (message: string, type = 'TicketRefused') => ApplicationFailure.nonRetryable(message, type);
  const assertOpen = () => {
    if (state.phase === 'closed')
      throw refuse(
        `Ticket ${ticketId} is closed (${state.outcome}); it takes no more messages`,
        'TicketClosed',
      );
    if (state.cancelled) throw refuse(`Ticket ${ticketId} is being cancelled`, 'TicketClosed');
  };
  const assertPhase = (phases: TicketState['phase'][], what: string) => {
    assertOpen();
    if (!phases.includes(state.phase))
      throw refuse(
        `Ticket ${ticketId} is ${state.phase}: ${what} is only taken while ${phases.join(' or ')}`,
      );
  };
  const assertAwardedVendor = (vendorId: string) => {
    if (state.award?.vendorId !== vendorId)
      throw refuse(
        `Ticket ${ticketId} was awarded to ${state.award?.vendorId}, not ${vendorId}`,
        'TicketForbidden',
      );
  };
  const trackerNote = (status: string, note: string) =>
    state.trackerRef
      ? acts.updateTracker(input.terms.tracker, state.trackerRef, { status, note, ticket: { ...state } })
      : Promise.resolve();

  /** Awards a bid; `known` is the line's remainder when the caller just read it (the auto-award did). */
  const awardBid = async (
    bid: Bid,
    by: string,
    overBudgetApprovedBy: string | undefined,
    reason: string,
    known?: { remaining: Awaited<ReturnType<typeof acts.budgetRemaining>> },
  ) => {
    awarding = true;
    try {
      await doAward(
        bid,
        by,
        overBudgetApprovedBy,
        reason,
        known ?? { remaining: await acts.budgetRemaining(shotId, input.budgetLine) },
      );
    } finally {
      awarding = false;
    }
  };

  const doAward = async (
    bid: Bid,
    by: string,
    overBudgetApprovedBy: string | undefined,
    reason: string,
    { remaining }: { remaining: Awaited<ReturnType<typeof acts.budgetRemaining>> },
  ) => {
    const over = overBudget(bid.amount, remaining);
    if (over && !overBudgetApprovedBy)
      throw refuse(
        `Bid ${bid.bidId} (${bid.amount.amountMinor} ${bid.amount.currency} minor units) is over what budget line ${input.budgetLine} has left (${remaining?.amountMinor} ${remaining?.currency}); award it with overBudgetApprovedBy naming who approved the overrun`,
        'OverBudget',
      );
    const dueAt = new Date(Date.now() + bid.turnaroundDays * input.terms.dayMs).toISOString();
    state.award = {
      bidId: bid.bidId,
      vendorId: bid.vendorId,
      amount: bid.amount,
      dueAt,
      by,
      ...(over ? { overBudgetApprovedBy } : {}),
    };
    state.phase = 'in-progress';
    await acts.record({
      shotId,
      events: [
        {
          id: eventId('awarded'),
          type: 'io.shotcaller.vendor.ticket.awarded.v1',
          data: {
            shotId,
            ticketId,
            bidId: bid.bidId,
            vendorId: bid.vendorId,
            amount: bid.amount,
            dueAt,
            awardedBy: by,
            ...(over ? { overBudgetApprovedBy } : {}),
          },
        },
        ...(over && remaining
          ? [
              {
                id: eventId('overrun-approved'),
                type: 'io.shotcaller.budget.overrun.approved.v1' as const,
                data: {
                  lineId: input.budgetLine,
                  shotId,
                  amount: bid.amount,
                  remaining,
                  approvedBy: overBudgetApprovedBy!,
                  reason: reason || `award of ${ticketId} to ${bid.vendorId}`,
                },
              },
            ]
          : []),
      ],
    });
    await trackerNote('awarded', `Awarded to ${bid.vendorId} by ${by}, due ${dueAt}`);
  };

  setHandler(ticketState, () => state);

  setHandler(
    bidSubmitted,
    async (bid) => {
      const b: Bid = { ...bid, bidId: `bid-${state.bids.length + 1}`, at: now() };
      state.bids.push(b);
      await acts.record({
        shotId,
        events: [
          {
            id: eventId(b.bidId),
            type: 'io.shotcaller.vendor.bid.received.v1',
            data: {
              shotId,
              ticketId,
              bidId: b.bidId,
              vendorId: b.vendorId,
              amount: b.amount,
              turnaroundDays: b.turnaroundDays,
              note: b.note,
            },
          },
        ],
      });
      return b;
    },
    {
      validator: (bid) => {
        // The ticket is visible to vendors as soon as it is opened in their tracker, before the workflow records it.
        assertPhase(['opening', 'bidding'], 'a bid');
        if (awarding) throw refuse(`Ticket ${ticketId} is being awarded; bids are closed`);
        if (!state.vendors.includes(bid.vendorId))
          throw refuse(`Vendor ${bid.vendorId} was not invited to bid on ${ticketId}`, 'TicketForbidden');
        if (bid.amount.currency !== input.estimate.currency)
          throw refuse(`Bids on ${ticketId} are in ${input.estimate.currency}, not ${bid.amount.currency}`);
      },
    },
  );

  setHandler(
    award,
    async (a) => {
      await awardBid(state.bids.find((b) => b.bidId === a.bidId)!, a.by, a.overBudgetApprovedBy, a.reason);
      return state;
    },
    {
      validator: (a) => {
        assertPhase(['opening', 'bidding'], 'an award');
        if (awarding) throw refuse(`Ticket ${ticketId} is already being awarded`);
        if (!state.bids.some((b) => b.bidId === a.bidId))
          throw refuse(
            `Ticket ${ticketId} has no bid ${a.bidId}; its bids are ${state.bids.map((b) => b.bidId).join(', ') || 'none yet'}`,
            'TicketNotFound',
          );
      },
    },
  );

  setHandler(
    delivered,
    async (d) => {
      const version = state.deliveries.length + 1;
      state.deliveries.push({ version, files: d.files, note: d.note, at: now() });
      state.phase = 'in-review';
      await acts.record({
        shotId,
        to: 'delivered',
        events: [
          {
            id: eventId(`delivery-${version}`),
            type: 'io.shotcaller.vendor.delivery.received.v1',
            data: { shotId, ticketId, vendorId: d.vendorId, version, files: d.files },
          },
          {
            id: eventId(`delivered-${version}`),
            type: 'io.shotcaller.shot.delivered.v1',
            data: {
              shotId,
              route: 'vendor',
              version,
              outputs: d.files.map((f) => ({ uri: f.uri, sha256: f.sha256 })),
            },
          },
        ],
      });
      await trackerNote('delivered', `Version ${version} delivered${d.note ? `: ${d.note}` : ''}`);
      return state;
    },
    {
      validator: (d) => {
        assertPhase(['in-progress'], 'a delivery');
        assertAwardedVendor(d.vendorId);
      },
    },
  );

  setHandler(
    review,
    async (r) => {
      const round = state.reviews.length + 1;
      const version = state.deliveries.length;
      state.reviews.push({ round, version, outcome: r.outcome, notes: r.notes, by: r.by, at: now() });
      const recorded = {
        id: eventId(`review-${round}`),
        type: 'io.shotcaller.vendor.review.recorded.v1' as const,
        data: { shotId, ticketId, version, round, outcome: r.outcome, notes: r.notes, by: r.by },
      };
      if (r.outcome === 'approved') {
        state.phase = 'invoicing';
        await acts.record({
          shotId,
          to: 'approved',
          events: [
            recorded,
            {
              id: eventId('approved'),
              type: 'io.shotcaller.shot.approved.v1',
              data: { shotId, by: r.by, note: r.notes },
            },
          ],
        });
      } else {
        state.phase = 'in-progress';
        await acts.record({ shotId, to: 'in-progress', events: [recorded] });
      }
      await trackerNote(
        r.outcome,
        `Round ${round} on version ${version}: ${r.outcome}${r.notes ? ` — ${r.notes}` : ''}`,
      );
      return state;
    },
    {
      validator: (r) => {
        assertPhase(['in-review'], 'a review');
        if (r.outcome === 'changes-requested' && !r.notes.trim())
          throw refuse('Say what to change: a review that requests changes needs notes');
      },
    },
  );

  setHandler(
    invoice,
    async (inv) => {
      state.invoice = { ...inv, at: now() };
      await acts.record({
        shotId,
        events: [
          {
            id: eventId(`invoice-${inv.invoiceId}`),
            type: 'io.shotcaller.vendor.invoice.received.v1',
            data: { shotId, ticketId, vendorId: inv.vendorId, invoiceId: inv.invoiceId, amount: inv.amount },
          },
        ],
      });
      await condition(() => state.phase === 'closed');
      return state;
    },
    {
      validator: (inv) => {
        assertPhase(['invoicing'], 'an invoice');
        assertAwardedVendor(inv.vendorId);
        if (state.invoice) throw refuse(`Ticket ${ticketId} already has invoice ${state.invoice.invoiceId}`);
        if (inv.amount.currency !== state.award!.amount.currency)
          throw refuse(`The award was in ${state.award!.amount.currency}; invoice in the same currency`);
      },
    },
  );

  setHandler(
    noteAdded,
    async (n) => {
      // Optional in the state so that tickets started before notes existed replay unchanged.
      state.notes = [...(state.notes ?? []), { ...n, at: now() }];
      await trackerNote('note', `${n.by}: ${n.text}`);
      return state;
    },
    { validator: (_n) => assertOpen() },
  );

  setHandler(
    cancel,
    async (c) => {
      state.cancelled = c;
      await condition(() => state.phase === 'closed');
      return state;
    },
    { validator: (_c) => assertOpen() },
  );

  // Opening: the tracker ticket, and the shot moves to in-progress.
  let deadline = Date.now() + input.terms.bidWindowMs;
  state.bidDeadline = new Date(deadline).toISOString();
  const opened = await acts.openTicket(input, {
    workflowId: state.workflowId,
    bidDeadline: state.bidDeadline,
  });
  state.trackerRef = opened.trackerRef;
  if (opened.shotCancelled) state.cancelled = { by: 'shotcaller', reason: 'the shot was cancelled' };
  // A bid or even an award may already have come in while the tracker ticket was being opened.
  else if (state.phase === 'opening') state.phase = 'bidding';

  // Bidding, until an award; each bid deadline that passes without one escalates and opens another window.
  while (!state.award && !state.cancelled) {
    const decided = await condition(
      () => (!!state.award || !!state.cancelled) && !awarding,
      Math.max(deadline - Date.now(), 1),
    );
    if (decided || awarding) continue;
    if (state.bids.length > 0 && input.terms.autoAward === 'lowest-within-budget') {
      const remaining = await acts.budgetRemaining(shotId, input.budgetLine);
      const pick = lowestBidWithinBudget(state.bids, remaining);
      if (pick && !state.award && !state.cancelled && !awarding) {
        await awardBid(pick, 'auto-award', undefined, '', { remaining });
        break;
      }
      if (state.award || state.cancelled) break;
    }
    state.escalations += 1;
    const reason =
      state.bids.length === 0
        ? `No bids by ${new Date(deadline).toISOString()}`
        : `${state.bids.length} bid(s) waiting for an award since ${new Date(deadline).toISOString()}`;
    await acts.record({
      shotId,
      events: [
        {
          id: eventId(`escalated-${state.escalations}`),
          type: 'io.shotcaller.vendor.bids.escalated.v1',
          data: { shotId, ticketId, reason },
        },
      ],
    });
    await trackerNote('escalated', reason);
    deadline = Date.now() + input.terms.bidWindowMs;
    state.bidDeadline = new Date(deadline).toISOString();
  }

  // In progress and in review, until approved; the due date passing with work outstanding is overdue.
  const approvedOrCancelled = () => state.phase === 'invoicing' || !!state.cancelled;
  if (state.award && !state.cancelled) {
    const due = Date.parse(state.award.dueAt);
    if (!(await condition(approvedOrCancelled, Math.max(due - Date.now(), 1)))) {
      // A version in review when the date passes was delivered on time; the vendor is late only once asked for changes.
      await condition(() => approvedOrCancelled() || state.phase === 'in-progress');
      if (!approvedOrCancelled()) {
        state.overdue = true;
        await acts.record({
          shotId,
          events: [
            {
              id: eventId('overdue'),
              type: 'io.shotcaller.vendor.ticket.overdue.v1',
              data: { shotId, ticketId, vendorId: state.award.vendorId, dueAt: state.award.dueAt },
            },
          ],
        });
        await trackerNote('overdue', `Past due (${state.award.dueAt})`);
      }
    }
    await condition(approvedOrCancelled);
  }

  // Invoicing: the vendor's actual cost.
  if (!state.cancelled) await condition(() => !!state.invoice || !!state.cancelled);

  const outcome = state.cancelled ? 'cancelled' : 'completed';
  await acts.record({
    shotId,
    ...(state.cancelled
      ? {
          to: 'cancelled' as const,
          events: [
            {
              id: eventId('shot-cancelled'),
              type: 'io.shotcaller.shot.cancelled.v1' as const,
              data: { shotId, by: state.cancelled.by, reason: state.cancelled.reason },
            },
          ],
        }
      : { events: [] }),
    always: [
      {
        id: eventId('closed'),
        type: 'io.shotcaller.vendor.ticket.closed.v1',
        data: { shotId, ticketId, outcome },
      },
    ],
  });
  state.outcome = outcome;
  state.phase = 'closed';
  await trackerNote(
    'closed',
    outcome === 'cancelled' ? `Cancelled: ${state.cancelled!.reason}` : 'Completed',
  );
  return state;
}
