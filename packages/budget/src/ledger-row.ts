import { CurrencyMismatch, type Money } from '@shotcaller/contracts';
import { z } from 'zod';
import type { Fact } from './facts';

/** One shot's line of the cost report. All amounts are minor units of `currency`. */
export const LedgerRow = z.object({
  shotId: z.string(),
  show: z.string(),
  episode: z.string().optional(),
  sequence: z.string(),
  shot: z.string(),
  lineId: z.string(),
  route: z.enum(['genai', 'vendor']).optional(),
  currency: z.string(),
  frames: z.int(),
  estimate: z.int(),
  committed: z.int(),
  actual: z.int(),
  /** Of `actual`: genai usage of attempts that failed, were cancelled or timed out (rows written before it: 0). */
  failedAttempts: z.int().default(0),
  etc: z.int(),
  efc: z.int(),
  closed: z.boolean(),
  submittedAt: z.string().optional(),
  approvedAt: z.string().optional(),
});
export type LedgerRow = z.infer<typeof LedgerRow>;

const order: Record<Fact['kind'], number> = {
  submitted: 0,
  reopened: 1,
  routed: 2,
  reserved: 3,
  usage: 4,
  'task-ended': 5,
  awarded: 6,
  invoiced: 7,
  approved: 8,
  cancelled: 9,
};

/**
 * Folds a shot's facts into its ledger row, the way a VFX cost report reads:
 * - estimate: the latest routing estimate of the chosen route;
 * - committed: the vendor award, plus genai reservations of tasks still running;
 * - actual: genai usage plus vendor invoices, including `failedAttempts`: usage of genai attempts that
 *   failed, were cancelled or timed out, which was paid for but moved the shot no closer to done;
 * - ETC (estimate to complete): 0 once cancelled; once approved, what is committed and not yet invoiced
 *   (a vendor's award before its invoice); else max(estimate, committed) − the actual that was not
 *   spent on failed attempts; never below 0;
 * - EFC (estimated final cost): actual + ETC.
 * Facts are folded in time order whatever order they arrived in, so the row never depends on delivery order.
 */
export function foldRow(
  shotId: string,
  facts: readonly Fact[],
  fallbackCurrency: string,
): LedgerRow | undefined {
  const row = foldFacts(shotId, facts);
  return row && { ...row, currency: row.currency ?? fallbackCurrency };
}

/** A row as its facts alone give it: `currency` is undefined until a fact carries money. */
export type FoldedRow = Omit<LedgerRow, 'currency'> & { currency: string | undefined };

/** The fold itself (see `foldRow`), leaving the currency open where no fact carries money. */
export function foldFacts(shotId: string, facts: readonly Fact[]): FoldedRow | undefined {
  const sorted = [...facts].sort((a, b) => a.at.localeCompare(b.at) || order[a.kind] - order[b.kind]);
  // The first submission says when; the latest (a revision) says what the shot now is.
  const submissions = sorted.filter((f) => f.kind === 'submitted');
  const first = submissions[0];
  const submitted = submissions.at(-1);
  if (first?.kind !== 'submitted' || submitted?.kind !== 'submitted') return undefined;
  let currency: string | undefined;
  const amount = (m: Money) => {
    currency ??= m.currency;
    if (m.currency !== currency) throw new CurrencyMismatch(currency, m.currency);
    return m.amountMinor;
  };
  let route: 'genai' | 'vendor' | undefined;
  let estimate = 0;
  let awarded = 0;
  let closed = false;
  let cancelled = false;
  let approvedAt: string | undefined;
  const reservations = new Map<string, number>();
  const ended = new Set<string>();
  let actual = 0;
  let failedAttempts = 0;
  for (const f of sorted) {
    switch (f.kind) {
      case 'routed':
        route = f.route;
        estimate = amount(f.estimate);
        break;
      case 'reserved':
        reservations.set(f.taskId, amount(f.amount));
        break;
      case 'usage':
        actual += amount(f.amount);
        // A failed attempt's task is retried under the same id: its reservation stays committed.
        if (f.outcome === 'completed') ended.add(f.taskId);
        else failedAttempts += amount(f.amount);
        break;
      case 'task-ended':
        ended.add(f.taskId);
        break;
      case 'awarded':
        awarded = amount(f.amount);
        break;
      case 'invoiced':
        actual += amount(f.amount);
        break;
      case 'approved':
        closed = true;
        cancelled = false;
        approvedAt = f.at;
        break;
      case 'cancelled':
        closed = true;
        cancelled = true;
        break;
      case 'reopened':
        closed = false;
        cancelled = false;
        break;
    }
  }
  let openReservations = 0;
  for (const [taskId, reserved] of reservations) if (!ended.has(taskId)) openReservations += reserved;
  const committed = (route === 'vendor' ? awarded : 0) + openReservations;
  const progressed = actual - failedAttempts;
  const etc = cancelled
    ? 0
    : closed
      ? Math.max(committed - progressed, 0)
      : Math.max(Math.max(estimate, committed) - progressed, 0);
  return {
    shotId,
    show: submitted.show,
    ...(submitted.episode ? { episode: submitted.episode } : {}),
    sequence: submitted.sequence,
    shot: submitted.shot,
    lineId: submitted.lineId,
    ...(route ? { route } : {}),
    currency,
    frames: submitted.frames,
    estimate,
    committed,
    actual,
    failedAttempts,
    etc,
    efc: actual + etc,
    closed,
    submittedAt: first.at,
    ...(approvedAt ? { approvedAt } : {}),
  };
}
