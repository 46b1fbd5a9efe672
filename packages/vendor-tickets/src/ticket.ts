import { CurrencyCode, MissingFxRate, Money, NonNegativeMoney } from '@shotcaller/contracts';
import { z } from 'zod';

const Actor = z.string().min(1);
const Sha256 = z.string().regex(/^[a-f0-9]{64}$/, 'must be the file’s SHA-256 in lowercase hex');

/**
 * How a ticket runs, fixed when it opens. Durations are milliseconds so that a test (or a what-if
 * replay) can run a weeks-long ticket in seconds; `dayMs` is how long one day of a bid’s turnaround is.
 */
export const TicketTerms = z.strictObject({
  tracker: z.string().min(1).default('local'),
  vendors: z.array(z.string().min(1)).min(1, 'a ticket needs at least one vendor to invite'),
  bidWindowMs: z
    .int()
    .positive()
    .default(3 * 86_400_000),
  dayMs: z.int().positive().default(86_400_000),
  autoAward: z.enum(['none', 'lowest-within-budget']).default('none'),
});
export type TicketTerms = z.infer<typeof TicketTerms>;
export type TicketTermsInput = z.input<typeof TicketTerms>;

/** What the vendor worker hands the workflow: the shot as a vendor needs to see it, and the terms. */
export const TicketInput = z.strictObject({
  ticketId: z.string().min(1),
  shotId: z.string().min(1),
  show: z.string().min(1),
  label: z.string().min(1),
  brief: z.string(),
  frames: z.strictObject({ start: z.int(), end: z.int() }),
  deadline: z.string().optional(),
  budgetLine: z.string().min(1),
  estimate: NonNegativeMoney,
  terms: TicketTerms,
});
export type TicketInput = z.infer<typeof TicketInput>;

export const BidInput = z.strictObject({
  vendorId: z.string().min(1),
  amount: NonNegativeMoney,
  turnaroundDays: z.number().positive(),
  note: z.string().default(''),
});
export type BidInput = z.infer<typeof BidInput>;

export const Bid = BidInput.extend({ bidId: z.string(), at: z.string() });
export type Bid = z.infer<typeof Bid>;

/** One bid as an award check prices it: in the check's currency, or why it has no price there. */
export const BidPrice = z.union([
  z.object({ bidId: z.string(), amount: Money }),
  /** The ledger has no rate for the bid's currency on the check's day (nor the days it looks back). */
  z.object({ bidId: z.string(), missing: MissingFxRate }),
  /** Converted, the bid no longer fits a whole number of minor units exactly: it cannot be a real price. */
  z.object({ bidId: z.string(), tooLarge: z.literal(true) }),
]);
export type BidPrice = z.infer<typeof BidPrice>;

/**
 * What an award is checked against, as the ledger has it when the check is made (read by an activity,
 * so a replayed ticket sees the same answer): what the shot's budget line has left, and each bid in
 * the line's currency at the ledger's rate of the check's day, rounded once, half to even. A bid in the
 * line's own currency is its price as it stands.
 */
export const BudgetCheck = z.object({
  /** The currency bids are compared in: the budget line's (the show's reporting currency), else the estimate's. */
  currency: CurrencyCode,
  /** The UTC day whose rates priced the bids: the award's day. */
  date: z.iso.date(),
  /** What the line has left for the shot; absent when the shot's line is not configured. */
  remaining: Money.optional(),
  prices: z.array(BidPrice),
});
export type BudgetCheck = z.infer<typeof BudgetCheck>;

export const AwardInput = z.strictObject({
  bidId: z.string().min(1),
  by: Actor,
  /** Needed when the bid is more than the shot’s budget line has left; names who approved the overrun. */
  overBudgetApprovedBy: Actor.optional(),
  reason: z.string().default(''),
});
export type AwardInput = z.infer<typeof AwardInput>;

export const DeliveryInput = z.strictObject({
  vendorId: z.string().min(1),
  files: z.array(z.strictObject({ uri: z.string().min(1), sha256: Sha256 })).min(1),
  note: z.string().default(''),
});
export type DeliveryInput = z.infer<typeof DeliveryInput>;

export const ReviewInput = z.strictObject({
  outcome: z.enum(['approved', 'changes-requested']),
  notes: z.string().default(''),
  by: Actor,
});
export type ReviewInput = z.infer<typeof ReviewInput>;

export const InvoiceInput = z.strictObject({
  vendorId: z.string().min(1),
  invoiceId: z.string().min(1),
  amount: Money,
});
export type InvoiceInput = z.infer<typeof InvoiceInput>;

export const CancelInput = z.strictObject({ by: Actor, reason: z.string().min(1) });

/** A note for the vendor from the production (a re-cut's change to the shot, say); it goes to their tracker. */
export const NoteInput = z.strictObject({ by: Actor, text: z.string().min(1).max(4_000) });
export type NoteInput = z.infer<typeof NoteInput>;
export type CancelInput = z.infer<typeof CancelInput>;

export const TicketPhase = z.enum(['opening', 'bidding', 'in-progress', 'in-review', 'invoicing', 'closed']);
export type TicketPhase = z.infer<typeof TicketPhase>;

/** Everything a ticket knows, as its query returns it. */
export const TicketState = z.object({
  ticketId: z.string(),
  workflowId: z.string(),
  shotId: z.string(),
  show: z.string(),
  label: z.string(),
  tracker: z.string(),
  trackerRef: z.string().optional(),
  vendors: z.array(z.string()),
  phase: TicketPhase,
  outcome: z.enum(['completed', 'cancelled']).optional(),
  bidDeadline: z.string().optional(),
  escalations: z.int(),
  bids: z.array(Bid),
  award: z
    .object({
      bidId: z.string(),
      vendorId: z.string(),
      amount: NonNegativeMoney,
      dueAt: z.string(),
      by: z.string(),
      overBudgetApprovedBy: z.string().optional(),
    })
    .optional(),
  overdue: z.boolean(),
  deliveries: z.array(
    z.object({ version: z.int(), files: DeliveryInput.shape.files, note: z.string(), at: z.string() }),
  ),
  reviews: z.array(
    z.object({
      round: z.int(),
      version: z.int(),
      outcome: ReviewInput.shape.outcome,
      notes: z.string(),
      by: z.string(),
      at: z.string(),
    }),
  ),
  invoice: InvoiceInput.extend({ at: z.string() }).optional(),
  cancelled: CancelInput.optional(),
  /** Absent from tickets that closed before notes existed. */
  notes: z.array(NoteInput.extend({ at: z.string() })).optional(),
});
export type TicketState = z.infer<typeof TicketState>;
