import { z } from 'zod';
import { ApprovalRecord, ConsentRecord, MissingEvidence, PrecheckResult, Severity } from './compliance';
import { CurrencyCode, FxRate, Money, NonNegativeMoney } from './money';
import { Route, RoutingDecision } from './routing-decision';
import { ShotRequest, ShowCode } from './shot-request';
import { TurnoverReport } from './turnover';

const Timestamp = z.iso.datetime({ offset: true });
const ShotId = z.string().min(1);
const Actor = z.string().min(1);

export const OutputFile = z.strictObject({
  uri: z.string().min(1),
  sha256: z.string().regex(/^[a-f0-9]{64}$/),
  frame: z.int().optional(),
  bytes: z.int().nonnegative().optional(),
});

/**
 * An AI output with its Content Credentials (docs/provenance.md): a signed C2PA manifest embedded in the
 * file (PNG, JPEG; `uri` and `sha256` are the signed file's), or a `.c2pa` sidecar beside it, bound to
 * the file's bytes by hash (EXR and other formats C2PA cannot embed into).
 */
export const CredentialedOutput = OutputFile.extend({
  credentials: z.discriminatedUnion('binding', [
    z.strictObject({ binding: z.literal('embedded') }),
    z.strictObject({
      binding: z.literal('sidecar'),
      uri: z.string().min(1),
      sha256: z.string().regex(/^[a-f0-9]{64}$/),
    }),
  ]),
});
export type CredentialedOutput = z.infer<typeof CredentialedOutput>;

export const UsageUnit = z.enum(['gpu-second', 'cpu-second', 'credit', 'frame', 'second-of-footage']);

/**
 * Every event Shotcaller emits, by CloudEvents `type`. A type's schema never changes once released: a
 * new shape is a new version (`….v2`) beside the old one, so an old log still replays.
 */
export const eventCatalogue = {
  // The shot's life.
  'io.shotcaller.shot.submitted.v1': z.strictObject({
    shotId: ShotId,
    request: ShotRequest,
    submittedBy: Actor,
  }),
  'io.shotcaller.shot.routed.v1': z.strictObject({
    shotId: ShotId,
    decision: RoutingDecision,
    precheck: PrecheckResult,
  }),
  'io.shotcaller.shot.routing.started.v1': z.strictObject({ shotId: ShotId, attempt: z.int().positive() }),
  'io.shotcaller.shot.held.v1': z.strictObject({
    shotId: ShotId,
    precheck: PrecheckResult,
    reason: z.string(),
  }),
  'io.shotcaller.shot.released.v1': z.strictObject({
    shotId: ShotId,
    reason: z.string(),
    evidenceIds: z.array(z.string()),
  }),
  'io.shotcaller.shot.queued.v1': z.strictObject({ shotId: ShotId, route: Route, queue: z.string() }),
  'io.shotcaller.shot.started.v1': z.strictObject({ shotId: ShotId, route: Route }),
  'io.shotcaller.shot.overridden.v1': z.strictObject({
    shotId: ShotId,
    from: Route.optional(),
    to: Route,
    by: Actor,
    reason: z.string().min(1),
  }),
  'io.shotcaller.shot.rerouted.v1': z.strictObject({
    shotId: ShotId,
    from: Route,
    to: Route,
    cause: z.enum(['genai-failed', 'review-rejected', 'override', 'consent-revoked', 'vendor-cancelled']),
    reason: z.string(),
  }),
  'io.shotcaller.shot.revised.v1': z.strictObject({
    shotId: ShotId,
    request: ShotRequest,
    /** Top-level request fields that changed. */
    changed: z.array(z.string()),
    by: Actor,
  }),
  'io.shotcaller.shot.cancelled.v1': z.strictObject({ shotId: ShotId, by: Actor, reason: z.string() }),
  'io.shotcaller.shot.failed.v1': z.strictObject({
    shotId: ShotId,
    reason: z.string(),
    retryable: z.boolean(),
  }),
  'io.shotcaller.shot.retried.v1': z.strictObject({ shotId: ShotId, by: Actor, attempt: z.int().positive() }),
  'io.shotcaller.shot.delivered.v1': z.strictObject({
    shotId: ShotId,
    route: Route,
    version: z.int().positive(),
    outputs: z.array(OutputFile),
    manifestUri: z.string().optional(),
  }),
  'io.shotcaller.shot.approved.v1': z.strictObject({
    shotId: ShotId,
    by: Actor,
    note: z.string().default(''),
  }),
  'io.shotcaller.shot.rejected.v1': z.strictObject({ shotId: ShotId, by: Actor, note: z.string().min(1) }),

  // Generative-AI work.
  'io.shotcaller.genai.task.started.v1': z.strictObject({
    shotId: ShotId,
    taskId: z.string(),
    provider: z.string(),
    model: z.string(),
    reservation: NonNegativeMoney,
  }),
  'io.shotcaller.genai.task.progress.v1': z.strictObject({
    shotId: ShotId,
    taskId: z.string(),
    provider: z.string(),
    percent: z.number().min(0).max(100),
    message: z.string().optional(),
  }),
  'io.shotcaller.genai.usage.recorded.v1': z.strictObject({
    shotId: ShotId,
    taskId: z.string(),
    provider: z.string(),
    unit: UsageUnit,
    quantity: z.number().nonnegative(),
    cost: NonNegativeMoney,
  }),
  /**
   * Usage a provider charged for an attempt that delivered nothing: it failed, was cancelled or timed
   * out after the work had started. One per attempt; the attempt that delivers records
   * `genai.usage.recorded`.
   */
  'io.shotcaller.genai.attempt.charged.v1': z.strictObject({
    shotId: ShotId,
    taskId: z.string(),
    provider: z.string(),
    attempt: z.int().positive(),
    outcome: z.enum(['failed', 'cancelled', 'timed-out']),
    reason: z.string(),
    unit: UsageUnit,
    quantity: z.number().nonnegative(),
    cost: NonNegativeMoney,
  }),
  'io.shotcaller.genai.task.completed.v1': z.strictObject({
    shotId: ShotId,
    taskId: z.string(),
    provider: z.string(),
    outputs: z.array(OutputFile),
    manifestUri: z.string(),
    manifestSha256: z.string().regex(/^[a-f0-9]{64}$/),
  }),
  /**
   * Artist time actually spent on a shot's AI work (prompting, supervising, review, fixes), as a
   * supervisor logs it; each record adds to the shot's total. The labour report sets it beside the
   * artist time the genai estimate assumed.
   */
  'io.shotcaller.genai.artist-time.recorded.v1': z.strictObject({
    shotId: ShotId,
    hours: z.number().positive('must be more than zero hours').max(10_000, 'must be at most 10,000 hours'),
    by: Actor,
    note: z.string().max(2000).default(''),
  }),
  /**
   * An attempt's outputs, each carrying signed Content Credentials; replaces v1 (whose JSON manifest was
   * C2PA-shaped but unsigned) for new work. `signer` is the signing certificate's subject;
   * `developmentCertificate` says it was Shotcaller's own, which no C2PA validator trusts.
   */
  'io.shotcaller.genai.task.completed.v2': z.strictObject({
    shotId: ShotId,
    taskId: z.string(),
    provider: z.string(),
    outputs: z.array(CredentialedOutput),
    signer: z.string(),
    developmentCertificate: z.boolean(),
  }),
  'io.shotcaller.genai.task.failed.v1': z.strictObject({
    shotId: ShotId,
    taskId: z.string(),
    provider: z.string(),
    error: z.string(),
    permanent: z.boolean(),
  }),

  // Vendor tickets.
  'io.shotcaller.vendor.ticket.opened.v1': z.strictObject({
    shotId: ShotId,
    ticketId: z.string(),
    workflowId: z.string(),
    tracker: z.string(),
    vendors: z.array(z.string()),
    bidDeadline: Timestamp,
  }),
  'io.shotcaller.vendor.bid.received.v1': z.strictObject({
    shotId: ShotId,
    ticketId: z.string(),
    bidId: z.string(),
    vendorId: z.string(),
    amount: NonNegativeMoney,
    turnaroundDays: z.number().positive(),
    note: z.string().default(''),
  }),
  'io.shotcaller.vendor.bids.escalated.v1': z.strictObject({
    shotId: ShotId,
    ticketId: z.string(),
    reason: z.string(),
  }),
  'io.shotcaller.vendor.ticket.awarded.v1': z.strictObject({
    shotId: ShotId,
    ticketId: z.string(),
    bidId: z.string(),
    vendorId: z.string(),
    amount: NonNegativeMoney,
    dueAt: Timestamp,
    awardedBy: Actor,
    overBudgetApprovedBy: Actor.optional(),
  }),
  'io.shotcaller.vendor.delivery.received.v1': z.strictObject({
    shotId: ShotId,
    ticketId: z.string(),
    vendorId: z.string(),
    version: z.int().positive(),
    files: z.array(z.strictObject({ uri: z.string().min(1), sha256: z.string().optional() })).min(1),
  }),
  'io.shotcaller.vendor.review.recorded.v1': z.strictObject({
    shotId: ShotId,
    ticketId: z.string(),
    version: z.int().positive(),
    round: z.int().positive(),
    outcome: z.enum(['approved', 'changes-requested']),
    notes: z.string().default(''),
    by: Actor,
  }),
  'io.shotcaller.vendor.invoice.received.v1': z.strictObject({
    shotId: ShotId,
    ticketId: z.string(),
    vendorId: z.string(),
    invoiceId: z.string(),
    amount: Money,
  }),
  'io.shotcaller.vendor.ticket.overdue.v1': z.strictObject({
    shotId: ShotId,
    ticketId: z.string(),
    vendorId: z.string(),
    dueAt: Timestamp,
  }),
  'io.shotcaller.vendor.ticket.closed.v1': z.strictObject({
    shotId: ShotId,
    ticketId: z.string(),
    outcome: z.enum(['completed', 'cancelled']),
  }),

  // Budget.
  'io.shotcaller.budget.line.configured.v1': z.strictObject({
    lineId: z.string(),
    show: ShowCode,
    episode: z.string().optional(),
    sequence: z.string().optional(),
    amount: NonNegativeMoney,
    thresholdsPercent: z.array(z.number().positive().max(1000)),
    by: Actor,
  }),
  'io.shotcaller.budget.threshold.crossed.v1': z.strictObject({
    lineId: z.string(),
    show: ShowCode,
    thresholdPercent: z.number().positive(),
    direction: z.enum(['up', 'down']),
    measure: z.enum(['committed', 'actual', 'estimated-final']),
    value: Money,
    budget: NonNegativeMoney,
  }),
  'io.shotcaller.budget.overrun.approved.v1': z.strictObject({
    lineId: z.string(),
    shotId: ShotId,
    amount: NonNegativeMoney,
    remaining: Money,
    approvedBy: Actor,
    reason: z.string().min(1),
  }),

  /**
   * Exchange rates for the ledger (a rates file, or `PUT /v1/fx-rates`). A later event's rate for the same
   * day and pair replaces an earlier one: a correction, audited by this event.
   */
  'io.shotcaller.budget.fx-rates.recorded.v1': z.strictObject({
    rates: z.array(FxRate).min(1),
    source: z.string().min(1),
    by: Actor,
    reason: z.string().default(''),
  }),
  /** A cost of a shot could not be converted to its line's currency: no rate for its day. */
  'io.shotcaller.budget.fx-rate.missing.v1': z.strictObject({
    show: ShowCode,
    lineId: z.string(),
    shotId: ShotId,
    from: CurrencyCode,
    to: CurrencyCode,
    date: z.iso.date(),
  }),
  /** A version of a budget line ("bid", "locked", …) with its amount; `current` makes it the line's budget. */
  'io.shotcaller.budget.line.version.recorded.v1': z.strictObject({
    lineId: z.string(),
    show: ShowCode,
    version: z.string().min(1).max(80),
    amount: NonNegativeMoney,
    current: z.boolean(),
    by: Actor,
    note: z.string().default(''),
  }),
  /** Which version of a budget line is its budget now. */
  'io.shotcaller.budget.line.version.selected.v1': z.strictObject({
    lineId: z.string(),
    show: ShowCode,
    version: z.string().min(1).max(80),
    by: Actor,
    reason: z.string().min(1),
  }),

  // Compliance.
  'io.shotcaller.compliance.alert.raised.v1': z.strictObject({
    alertId: z.string(),
    ruleId: z.string(),
    severity: Severity,
    title: z.string(),
    source: z.string(),
    message: z.string(),
    shotId: ShotId.optional(),
    /** The shot as people name it (`NTH/EP01/COL/COL_0070`); absent from alerts raised before it was added. */
    shotCode: z.string().optional(),
    missing: z.array(MissingEvidence).default([]),
  }),
  'io.shotcaller.compliance.alert.acknowledged.v1': z.strictObject({
    alertId: z.string(),
    by: Actor,
    note: z.string().default(''),
  }),
  'io.shotcaller.compliance.alert.resolved.v1': z.strictObject({
    alertId: z.string(),
    by: Actor,
    resolution: z.enum(['resolved', 'waived']),
    reason: z.string().min(1),
  }),
  'io.shotcaller.compliance.rules.configured.v1': z.strictObject({
    changes: z.array(
      z.strictObject({
        ruleId: z.string(),
        field: z.enum(['enabled', 'action', 'severity']),
        before: z.string(),
        after: z.string(),
        reason: z.string(),
      }),
    ),
    by: Actor,
  }),
  'io.shotcaller.consent.recorded.v1': z.strictObject({ consent: ConsentRecord }),
  'io.shotcaller.consent.revoked.v1': z.strictObject({
    consentId: z.string(),
    by: Actor,
    reason: z.string().min(1),
    revokedAt: Timestamp,
  }),
  'io.shotcaller.approval.recorded.v1': z.strictObject({ approval: ApprovalRecord }),

  // Editorial.
  /** A turnover (EDL, FCP XML or .otio) was imported: the report of each shot, so the cut's history is kept. */
  'io.shotcaller.turnover.imported.v1': TurnoverReport,
} as const;

export type EventCatalogue = typeof eventCatalogue;
export type EventType = keyof EventCatalogue;
export type EventData<T extends EventType> = z.infer<EventCatalogue[T]>;
export type EventDataInput<T extends EventType> = z.input<EventCatalogue[T]>;

export const eventTypes = Object.keys(eventCatalogue) as EventType[];

/**
 * Events that only matter while they happen: published live (SSE, dashboard, CLI `watch`) and never
 * written to the durable log, so they cost no log space and no consumer work. The latest one of a
 * running task is kept on its shot; nothing is rebuilt from them.
 */
export const liveEventTypes: ReadonlySet<EventType> = new Set<EventType>([
  'io.shotcaller.genai.task.progress.v1',
]);

/**
 * Types this version no longer emits, with what says the same now. They stay in the catalogue so that
 * logs written before still read, fold and replay.
 */
export const retiredEventTypes: ReadonlyMap<EventType, string> = new Map<EventType, string>([
  [
    'io.shotcaller.shot.routing.started.v1',
    'Routing is immediate: it was written in the same step as `shot.routed` or `shot.held`, which say when it happened.',
  ],
]);

/** Whether events of this type are written to the durable log (true) or only published live. */
export function isDurableEventType(type: EventType): boolean {
  return !liveEventTypes.has(type);
}

/**
 * Events a production cannot afford to lose in a Redis failover: consents and their revocation,
 * approvals, vendor awards and invoices, a shot's acceptance (its submission, answered 201) and its
 * approval. With `redis.replicaAcks` set, a write
 * that appends one is acknowledged only once that many replicas have it (Redis `WAIT`).
 */
export const replicatedEventTypes: ReadonlySet<EventType> = new Set<EventType>([
  'io.shotcaller.consent.recorded.v1',
  'io.shotcaller.consent.revoked.v1',
  'io.shotcaller.approval.recorded.v1',
  'io.shotcaller.vendor.ticket.awarded.v1',
  'io.shotcaller.vendor.invoice.received.v1',
  'io.shotcaller.shot.submitted.v1',
  'io.shotcaller.shot.approved.v1',
]);

export function mustReachReplicas(type: string): boolean {
  return replicatedEventTypes.has(type as EventType);
}

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventCatalogue, type);
}
