import { Money, type ShotcallerEvent } from '@shotcaller/contracts';
import { z } from 'zod';

/**
 * What the ledger keeps of an event: the one money fact it carries. Facts are stored per shot under
 * their event id, so a replayed or redelivered event adds nothing, and a shot's row is always folded
 * from all its facts in time order, whatever order they arrived in.
 */
export const Fact = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('submitted'),
    at: z.string(),
    show: z.string(),
    episode: z.string().optional(),
    sequence: z.string(),
    shot: z.string(),
    lineId: z.string(),
    frames: z.int(),
    /** For estimate accuracy; absent in facts stored before it was kept. */
    category: z.string().optional(),
    complexity: z.string().optional(),
  }),
  z.object({
    kind: z.literal('routed'),
    at: z.string(),
    route: z.enum(['genai', 'vendor']),
    estimate: Money,
  }),
  z.object({ kind: z.literal('reserved'), at: z.string(), taskId: z.string(), amount: Money }),
  z.object({ kind: z.literal('task-ended'), at: z.string(), taskId: z.string() }),
  z.object({
    kind: z.literal('usage'),
    at: z.string(),
    taskId: z.string(),
    amount: Money,
    /** Absent in facts stored before providers were kept. */
    provider: z.string().optional(),
    /** How the attempt ended: only `completed` usage delivered frames; the rest is what failures cost. */
    outcome: z.enum(['completed', 'failed', 'cancelled', 'timed-out']).default('completed'),
  }),
  z.object({
    kind: z.literal('awarded'),
    at: z.string(),
    amount: Money,
    /** Absent in facts stored before vendors were kept. */
    vendorId: z.string().optional(),
  }),
  z.object({ kind: z.literal('invoiced'), at: z.string(), invoiceId: z.string(), amount: Money }),
  z.object({ kind: z.literal('approved'), at: z.string() }),
  z.object({ kind: z.literal('cancelled'), at: z.string() }),
  z.object({ kind: z.literal('reopened'), at: z.string() }),
]);
export type Fact = z.infer<typeof Fact>;

/** The events the ledger counts: each brings one fact of its shot. */
const factEventTypes = [
  'io.shotcaller.shot.submitted.v1',
  'io.shotcaller.shot.revised.v1',
  'io.shotcaller.shot.routed.v1',
  'io.shotcaller.genai.task.started.v1',
  'io.shotcaller.genai.task.completed.v1',
  'io.shotcaller.genai.task.completed.v2',
  'io.shotcaller.genai.task.failed.v1',
  'io.shotcaller.genai.usage.recorded.v1',
  'io.shotcaller.genai.attempt.charged.v1',
  'io.shotcaller.vendor.ticket.awarded.v1',
  'io.shotcaller.vendor.invoice.received.v1',
  'io.shotcaller.shot.approved.v1',
  'io.shotcaller.shot.cancelled.v1',
  'io.shotcaller.shot.retried.v1',
  'io.shotcaller.shot.rerouted.v1',
] as const satisfies ReadonlyArray<ShotcallerEvent['type']>;
type FactEvent = Extract<ShotcallerEvent, { type: (typeof factEventTypes)[number] }>;
export const factTypes: ReadonlySet<string> = new Set(factEventTypes);
const isFactEvent = (event: ShotcallerEvent): event is FactEvent => factTypes.has(event.type);

/** The shot a money event is about and its fact; undefined for events the ledger does not count. */
export function factOf(event: ShotcallerEvent): { shotId: string; fact: Fact } | undefined {
  if (!isFactEvent(event)) return undefined;
  const at = event.time;
  switch (event.type) {
    case 'io.shotcaller.shot.submitted.v1':
    case 'io.shotcaller.shot.revised.v1': {
      const r = event.data.request;
      const frames = r.frames.end - r.frames.start + 1;
      return {
        shotId: event.data.shotId,
        fact: {
          kind: 'submitted',
          at,
          show: r.show,
          ...(r.episode ? { episode: r.episode } : {}),
          sequence: r.sequence,
          shot: r.shot,
          lineId: r.budgetLine,
          frames,
          category: r.category,
          complexity: r.complexity,
        },
      };
    }
    case 'io.shotcaller.shot.routed.v1': {
      const d = event.data.decision;
      return {
        shotId: event.data.shotId,
        fact: { kind: 'routed', at, route: d.route, estimate: d.estimates[d.route].cost },
      };
    }
    case 'io.shotcaller.genai.task.started.v1':
      return {
        shotId: event.data.shotId,
        fact: { kind: 'reserved', at, taskId: event.data.taskId, amount: event.data.reservation },
      };
    case 'io.shotcaller.genai.task.completed.v1':
    case 'io.shotcaller.genai.task.completed.v2':
    case 'io.shotcaller.genai.task.failed.v1':
      return { shotId: event.data.shotId, fact: { kind: 'task-ended', at, taskId: event.data.taskId } };
    case 'io.shotcaller.genai.usage.recorded.v1':
    case 'io.shotcaller.genai.attempt.charged.v1': {
      const { shotId, taskId, cost, provider } = event.data;
      // Usage recorded is what a delivered attempt used; a charged attempt says how it ended.
      const outcome = 'outcome' in event.data ? event.data.outcome : 'completed';
      return { shotId, fact: { kind: 'usage', at, taskId, amount: cost, provider, outcome } };
    }
    case 'io.shotcaller.vendor.ticket.awarded.v1':
      return {
        shotId: event.data.shotId,
        fact: { kind: 'awarded', at, amount: event.data.amount, vendorId: event.data.vendorId },
      };
    case 'io.shotcaller.vendor.invoice.received.v1':
      return {
        shotId: event.data.shotId,
        fact: { kind: 'invoiced', at, invoiceId: event.data.invoiceId, amount: event.data.amount },
      };
    case 'io.shotcaller.shot.approved.v1':
      return { shotId: event.data.shotId, fact: { kind: 'approved', at } };
    case 'io.shotcaller.shot.cancelled.v1':
      return { shotId: event.data.shotId, fact: { kind: 'cancelled', at } };
    case 'io.shotcaller.shot.retried.v1':
    case 'io.shotcaller.shot.rerouted.v1':
      return { shotId: event.data.shotId, fact: { kind: 'reopened', at } };
    default:
      // Every type in factEventTypes has its case: a new one fails to compile here until it does.
      return event satisfies never;
  }
}
