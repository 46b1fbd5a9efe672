import type { EventDataInput, EventType } from '@shotcaller/contracts';
import type { RecordRequest, TicketEvent } from './activities';
import { type AwardBudget, autoAwardPick, bidsWithoutRate, checkAgainstLine } from './award-budget';
import { missingRate, refusal } from './refusal';
import type {
  AwardInput,
  Bid,
  BidInput,
  CancelInput,
  DeliveryInput,
  InvoiceInput,
  NoteInput,
  ReviewInput,
  TicketInput,
  TicketPhase,
  TicketState,
} from './ticket';

/** What a transition asks of the world, in this order: events to record (with the shot's move), then a line in the vendor's tracker. */
export interface TicketStep {
  record?: RecordRequest;
  tracker?: { status: string; note: string };
}

/** Who awarded a bid, and who approved an overrun: an award message less the bid it names. */
export type AwardDecision = Omit<AwardInput, 'bidId'>;

/** Who awards a bid the ticket picked itself. */
export const autoAwardActor = 'auto-award';

/**
 * One vendor ticket's state and rules, with no Temporal, clock or I/O in it: each message is checked
 * (`check…`, which throws the refusal a caller gets back) and then applied (which changes the state
 * and returns the step to take), and the timers' decisions are asked of it. The workflow is the
 * thin part around it that waits, runs activities and answers messages. Times are passed in as
 * epoch milliseconds (the workflow's deterministic clock).
 */
export class TicketMachine {
  readonly state: TicketState;
  /** An award whose budget read is in flight: bids and other awards are refused until it ends. */
  private awarding = false;

  constructor(
    private readonly input: TicketInput,
    workflowId: string,
  ) {
    this.state = {
      ticketId: input.ticketId,
      workflowId,
      shotId: input.shotId,
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
  }

  // Opening

  /** Starts a bid window at `now`; returns its deadline. */
  openBidWindow(now: number): number {
    const deadline = now + this.input.terms.bidWindowMs;
    this.state.bidDeadline = new Date(deadline).toISOString();
    return deadline;
  }

  /** The tracker ticket is open; a shot cancelled meanwhile cancels the ticket. */
  opened({ trackerRef, shotCancelled }: { trackerRef: string; shotCancelled: boolean }): void {
    this.state.trackerRef = trackerRef;
    if (shotCancelled) this.state.cancelled = { by: 'shotcaller', reason: 'the shot was cancelled' };
    // A bid or even an award may already have come in while the tracker ticket was being opened.
    else if (this.state.phase === 'opening') this.state.phase = 'bidding';
  }

  // Bids and the award

  checkBid(bid: BidInput): void {
    // The ticket is visible to vendors as soon as it is opened in their tracker, before the workflow records it.
    this.checkPhase(['opening', 'bidding'], 'a bid');
    if (this.awarding) throw refusal(`Ticket ${this.id} is being awarded; bids are closed`);
    if (!this.state.vendors.includes(bid.vendorId))
      throw refusal(`Vendor ${bid.vendorId} was not invited to bid on ${this.id}`, 'TicketForbidden');
    // A vendor bids in its own currency: the award's budget check prices the bid in the line's.
  }

  bid(input: BidInput, now: number): { bid: Bid; step: TicketStep } {
    const bid: Bid = { ...input, bidId: `bid-${this.state.bids.length + 1}`, at: iso(now) };
    this.state.bids.push(bid);
    const { bidId, vendorId, amount, turnaroundDays, note } = bid;
    return {
      bid,
      step: this.record('io.shotcaller.vendor.bid.received.v1', bidId, {
        ...this.ids,
        bidId,
        vendorId,
        amount,
        turnaroundDays,
        note,
      }),
    };
  }

  checkAward(award: Pick<AwardInput, 'bidId'>): void {
    this.checkPhase(['opening', 'bidding'], 'an award');
    if (this.awarding) throw refusal(`Ticket ${this.id} is already being awarded`);
    if (!this.state.bids.some((b) => b.bidId === award.bidId))
      throw refusal(
        `Ticket ${this.id} has no bid ${award.bidId}; its bids are ${this.state.bids.map((b) => b.bidId).join(', ') || 'none yet'}`,
        'TicketNotFound',
      );
  }

  /** An award begins (the budget line is read next); returns the bid. Ends with `award` or `awardEnded`. */
  awardStarted(bidId: string): Bid {
    const bid = this.state.bids.find((b) => b.bidId === bidId);
    if (!bid) throw refusal(`Ticket ${this.id} has no bid ${bidId}`, 'TicketNotFound');
    this.awarding = true;
    return bid;
  }

  awardEnded(): void {
    this.awarding = false;
  }

  /**
   * Awards `bid` against what the line has left, priced in the line's currency; over it, only with
   * `overBudgetApprovedBy` naming who approved. A bid that cannot be priced (its rate is missing) is not
   * awarded against a line at all: nobody can say whether it overruns.
   */
  award(
    bid: Bid,
    { by, overBudgetApprovedBy, reason }: AwardDecision,
    budget: AwardBudget,
    now: number,
  ): TicketStep {
    const { over, remaining, priced } = checkAgainstLine(bid, budget, this.input.budgetLine);
    if (over && !overBudgetApprovedBy)
      throw refusal(
        `Bid ${bid.bidId} (${bid.amount.amountMinor} ${bid.amount.currency} minor units${priced ? `, ${priced}` : ''}) is over what budget line ${this.input.budgetLine} has left (${remaining?.amountMinor} ${remaining?.currency}); award it with overBudgetApprovedBy naming who approved the overrun`,
        'OverBudget',
      );
    const dueAt = iso(now + bid.turnaroundDays * this.input.terms.dayMs);
    const approval = over ? { overBudgetApprovedBy } : {};
    this.state.award = {
      bidId: bid.bidId,
      vendorId: bid.vendorId,
      amount: bid.amount,
      dueAt,
      by,
      ...approval,
    };
    this.state.phase = 'in-progress';
    const { bidId, vendorId, amount } = bid;
    return {
      record: {
        shotId: this.input.shotId,
        events: [
          this.event('io.shotcaller.vendor.ticket.awarded.v1', 'awarded', {
            ...this.ids,
            bidId,
            vendorId,
            amount,
            dueAt,
            awardedBy: by,
            ...approval,
          }),
          ...(over && remaining
            ? [
                this.event('io.shotcaller.budget.overrun.approved.v1', 'overrun-approved', {
                  lineId: this.input.budgetLine,
                  shotId: this.input.shotId,
                  amount,
                  remaining,
                  approvedBy: overBudgetApprovedBy!,
                  reason: reason || `award of ${this.id} to ${vendorId}${priced ? ` (${priced})` : ''}`,
                }),
              ]
            : []),
        ],
      },
      tracker: { status: 'awarded', note: `Awarded to ${vendorId} by ${by}, due ${dueAt}` },
    };
  }

  // The bid deadline

  /** Whether the bidding is over (an award or a cancellation) and no award is half made. */
  get biddingDecided(): boolean {
    return (!!this.state.award || !!this.state.cancelled) && !this.awarding;
  }

  get bidding(): boolean {
    return !this.state.award && !this.state.cancelled;
  }

  get awardInFlight(): boolean {
    return this.awarding;
  }

  /** At a deadline with bids in, the auto-award rule (when the terms have it) needs the line's remainder. */
  get autoAwards(): boolean {
    return this.state.bids.length > 0 && this.input.terms.autoAward === 'lowest-within-budget';
  }

  /** The bid the auto-award rule takes now, if any, and if nothing has been decided meanwhile. */
  autoAwardPick(budget: AwardBudget): Bid | undefined {
    const pick = autoAwardPick(this.state.bids, budget);
    return pick && this.bidding && !this.awarding ? pick : undefined;
  }

  /**
   * The deadline at `deadline` passed undecided: say so, to the production and the vendors. `budget` is
   * what the auto-award read, if it ran: bids it could not price are named, with the rate they lack.
   */
  escalate(deadline: number, budget?: AwardBudget): TicketStep {
    this.state.escalations += 1;
    const unpriced = bidsWithoutRate(this.state.bids, budget).map(
      ({ bid, missing }) => `${bid.bidId} has ${missingRate(missing)}`,
    );
    const reason =
      this.state.bids.length === 0
        ? `No bids by ${iso(deadline)}`
        : `${this.state.bids.length} bid(s) waiting for an award since ${iso(deadline)}` +
          (unpriced.length > 0
            ? `; not auto-awarded, since ${unpriced.join(' and ')}: record the rate, or award a bid by hand`
            : '');
    return {
      ...this.record('io.shotcaller.vendor.bids.escalated.v1', `escalated-${this.state.escalations}`, {
        ...this.ids,
        reason,
      }),
      tracker: { status: 'escalated', note: reason },
    };
  }

  // The work: deliveries and reviews

  checkDelivery(delivery: Pick<DeliveryInput, 'vendorId'>): void {
    this.checkPhase(['in-progress'], 'a delivery');
    this.checkAwardedVendor(delivery.vendorId);
  }

  deliver({ vendorId, files, note }: DeliveryInput, now: number): TicketStep {
    const version = this.state.deliveries.length + 1;
    this.state.deliveries.push({ version, files, note, at: iso(now) });
    this.state.phase = 'in-review';
    const { shotId } = this.input;
    return {
      record: {
        shotId,
        to: 'delivered',
        events: [
          this.event('io.shotcaller.vendor.delivery.received.v1', `delivery-${version}`, {
            ...this.ids,
            vendorId,
            version,
            files,
          }),
          this.event('io.shotcaller.shot.delivered.v1', `delivered-${version}`, {
            shotId,
            route: 'vendor',
            version,
            outputs: files.map((f) => ({ uri: f.uri, sha256: f.sha256 })),
          }),
        ],
      },
      tracker: { status: 'delivered', note: `Version ${version} delivered${note ? `: ${note}` : ''}` },
    };
  }

  checkReview(review: Pick<ReviewInput, 'outcome' | 'notes'>): void {
    this.checkPhase(['in-review'], 'a review');
    if (review.outcome === 'changes-requested' && !review.notes.trim())
      throw refusal('Say what to change: a review that requests changes needs notes');
  }

  /** A review of the latest version: approved moves on to the invoice, changes requested back to work. */
  review({ outcome, notes, by }: ReviewInput, now: number): TicketStep {
    const round = this.state.reviews.length + 1;
    const version = this.state.deliveries.length;
    this.state.reviews.push({ round, version, outcome, notes, by, at: iso(now) });
    const recorded = this.event('io.shotcaller.vendor.review.recorded.v1', `review-${round}`, {
      ...this.ids,
      version,
      round,
      outcome,
      notes,
      by,
    });
    const tracker = {
      status: outcome,
      note: `Round ${round} on version ${version}: ${outcome}${notes ? ` — ${notes}` : ''}`,
    };
    const { shotId } = this.input;
    if (outcome === 'approved') {
      this.state.phase = 'invoicing';
      const approved = this.event('io.shotcaller.shot.approved.v1', 'approved', { shotId, by, note: notes });
      return { record: { shotId, to: 'approved', events: [recorded, approved] }, tracker };
    }
    this.state.phase = 'in-progress';
    return { record: { shotId, to: 'in-progress', events: [recorded] }, tracker };
  }

  // The due date

  /** When the award is due (epoch ms); undefined before an award. */
  get dueAt(): number | undefined {
    return this.state.award ? Date.parse(this.state.award.dueAt) : undefined;
  }

  get approvedOrCancelled(): boolean {
    return this.state.phase === 'invoicing' || !!this.state.cancelled;
  }

  /**
   * Past the due date, whether the vendor is late yet. A version in review when the date passes was
   * delivered on time; the vendor is late only once asked for changes (back in progress).
   */
  get late(): boolean {
    return !this.approvedOrCancelled && this.state.phase === 'in-progress';
  }

  /** Past due with work outstanding: raised once. */
  markOverdue(): TicketStep {
    const award = this.state.award;
    if (!award) throw new Error(`Ticket ${this.id} has no award to be overdue on`);
    this.state.overdue = true;
    return {
      ...this.record('io.shotcaller.vendor.ticket.overdue.v1', 'overdue', {
        ...this.ids,
        vendorId: award.vendorId,
        dueAt: award.dueAt,
      }),
      tracker: { status: 'overdue', note: `Past due (${award.dueAt})` },
    };
  }

  // Invoice, notes, cancellation, closing

  checkInvoice(invoice: Pick<InvoiceInput, 'vendorId' | 'amount'>): void {
    this.checkPhase(['invoicing'], 'an invoice');
    this.checkAwardedVendor(invoice.vendorId);
    if (this.state.invoice)
      throw refusal(`Ticket ${this.id} already has invoice ${this.state.invoice.invoiceId}`);
    const awarded = this.state.award!.amount.currency;
    if (invoice.amount.currency !== awarded)
      throw refusal(`The award was in ${awarded}; invoice in the same currency`);
  }

  invoice(invoice: InvoiceInput, now: number): TicketStep {
    this.state.invoice = { ...invoice, at: iso(now) };
    const { vendorId, invoiceId, amount } = invoice;
    return this.record('io.shotcaller.vendor.invoice.received.v1', `invoice-${invoiceId}`, {
      ...this.ids,
      vendorId,
      invoiceId,
      amount,
    });
  }

  get invoicedOrCancelled(): boolean {
    return !!this.state.invoice || !!this.state.cancelled;
  }

  /** Notes and cancellation are taken in any phase until the ticket closes or is being cancelled. */
  checkOpen(): void {
    if (this.state.phase === 'closed')
      throw refusal(
        `Ticket ${this.id} is closed (${this.state.outcome}); it takes no more messages`,
        'TicketClosed',
      );
    if (this.state.cancelled) throw refusal(`Ticket ${this.id} is being cancelled`, 'TicketClosed');
  }

  note(note: NoteInput, now: number): TicketStep {
    // Optional in the state so that tickets started before notes existed replay unchanged.
    this.state.notes = [...(this.state.notes ?? []), { ...note, at: iso(now) }];
    return { tracker: { status: 'note', note: `${note.by}: ${note.text}` } };
  }

  cancel(cancel: CancelInput): void {
    this.state.cancelled = cancel;
  }

  get closed(): boolean {
    return this.state.phase === 'closed';
  }

  /** What closing records: the shot's cancellation if it was cancelled, and in any case the ticket's close. */
  closing(): RecordRequest {
    const { shotId } = this.input;
    const cancelled = this.state.cancelled;
    return {
      shotId,
      ...(cancelled
        ? {
            to: 'cancelled' as const,
            events: [
              this.event('io.shotcaller.shot.cancelled.v1', 'shot-cancelled', {
                shotId,
                by: cancelled.by,
                reason: cancelled.reason,
              }),
            ],
          }
        : { events: [] }),
      always: [
        this.event('io.shotcaller.vendor.ticket.closed.v1', 'closed', {
          ...this.ids,
          outcome: this.outcome,
        }),
      ],
    };
  }

  /** Closes the ticket once `closing()` is recorded; the tracker is told last. */
  close(): TicketStep {
    const outcome = this.outcome;
    this.state.outcome = outcome;
    this.state.phase = 'closed';
    const note = this.state.cancelled ? `Cancelled: ${this.state.cancelled.reason}` : 'Completed';
    return { tracker: { status: 'closed', note } };
  }

  // Helpers

  private get id(): string {
    return this.input.ticketId;
  }

  private get ids() {
    return { shotId: this.input.shotId, ticketId: this.input.ticketId };
  }

  private get outcome(): 'completed' | 'cancelled' {
    return this.state.cancelled ? 'cancelled' : 'completed';
  }

  /** An event under an id derived from the ticket and the step, so a retried or replayed step appends once. */
  private event<T extends EventType>(type: T, step: string, data: EventDataInput<T>): TicketEvent {
    // A generic T is not narrowed to one member of the union: the one place that is asserted.
    return { id: `${this.id}/${step}`, type, data } as TicketEvent;
  }

  private record<T extends EventType>(type: T, step: string, data: EventDataInput<T>): TicketStep {
    return { record: { shotId: this.input.shotId, events: [this.event(type, step, data)] } };
  }

  private checkPhase(phases: TicketPhase[], what: string): void {
    this.checkOpen();
    if (!phases.includes(this.state.phase))
      throw refusal(
        `Ticket ${this.id} is ${this.state.phase}: ${what} is only taken while ${phases.join(' or ')}`,
      );
  }

  private checkAwardedVendor(vendorId: string): void {
    if (this.state.award?.vendorId !== vendorId)
      throw refusal(
        `Ticket ${this.id} was awarded to ${this.state.award?.vendorId}, not ${vendorId}`,
        'TicketForbidden',
      );
  }

  /** A refusal the caller gets back as is: non-retryable, typed for TicketClient to map to its errors. */
}

const iso = (ms: number) => new Date(ms).toISOString();
