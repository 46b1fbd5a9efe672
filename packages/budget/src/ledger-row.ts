import { CurrencyMismatch, Money } from '@shotcaller/contracts';
import { z } from 'zod';
import type { Fact } from './facts';
import type { FxRates, MissingRate } from './fx';

/** One shot's line of the cost report. All amounts are minor units of `currency`, its line's (the reporting currency). */
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
  category: z.string().optional(),
  complexity: z.string().optional(),
  /** The vendor of the latest award; the genai providers that charged for it. */
  vendorId: z.string().optional(),
  providers: z.array(z.string()).default([]),
  /** The currencies the shot's money came in, before conversion. */
  originalCurrencies: z.array(z.string()).default([]),
  /** Committed and actual as they were billed, per original currency. */
  originalCommitted: z.array(Money).default([]),
  originalActual: z.array(Money).default([]),
  /** Of committed and actual as billed: what is left out of the figures above because its rate is missing. */
  unconvertedCommitted: z.array(Money).default([]),
  unconvertedActual: z.array(Money).default([]),
  missingRates: z.array(z.object({ from: z.string(), to: z.string(), date: z.string() })).default([]),
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
  money: RowMoney = {},
): LedgerRow | undefined {
  const row = foldFacts(shotId, facts, money);
  return row && { ...row, currency: row.currency ?? fallbackCurrency };
}

/** A row as its facts alone give it: `currency` is undefined until a fact carries money. */
export type FoldedRow = Omit<LedgerRow, 'currency'> & { currency: string | undefined };

/** How a row's money becomes one currency. */
export interface RowMoney {
  /** The currency of a budget line, the row's reporting currency; undefined: the row's first money's. */
  currencyOf?: (lineId: string) => string | undefined;
  /** Rates for money in another currency; without them such money is refused (CurrencyMismatch). */
  rates?: FxRates;
}

const addTo = (sums: Map<string, number>, m: Money) =>
  sums.set(m.currency, (sums.get(m.currency) ?? 0) + m.amountMinor);
const moneyOf = (sums: Map<string, number>): Money[] =>
  [...sums]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amountMinor]) => ({ amountMinor, currency }));

/**
 * The fold itself (see `foldRow`), leaving the currency open where no fact carries money and the line's
 * currency is unknown. Each amount converts at the rate of its own fact's day (see FxRates); an amount
 * whose rate is missing is left out of the figures, never counted as zero: it is listed in `unconverted`
 * (a cost) and `missingRates`, and the figure it would have set keeps its value without it.
 */
export function foldFacts(
  shotId: string,
  facts: readonly Fact[],
  money: RowMoney = {},
): FoldedRow | undefined {
  const sorted = [...facts].sort((a, b) => a.at.localeCompare(b.at) || order[a.kind] - order[b.kind]);
  // The first submission says when; the latest (a revision) says what the shot now is.
  const submissions = sorted.filter((f) => f.kind === 'submitted');
  const first = submissions[0];
  const submitted = submissions.at(-1);
  if (first?.kind !== 'submitted' || submitted?.kind !== 'submitted') return undefined;
  let currency = money.currencyOf?.(submitted.lineId);
  const originals = new Set<string>();
  const missing = new Map<string, MissingRate>();
  const amount = (m: Money, at: string): number | undefined => {
    currency ??= m.currency;
    originals.add(m.currency);
    if (m.currency === currency) return m.amountMinor;
    if (!money.rates) throw new CurrencyMismatch(currency, m.currency);
    const converted = money.rates.convert(m, currency, at);
    if ('amountMinor' in converted) return converted.amountMinor;
    const r = converted.missing;
    missing.set(`${r.from}:${r.to}:${r.date}`, r);
    return undefined;
  };
  let route: 'genai' | 'vendor' | undefined;
  let estimate = 0;
  let awarded = 0;
  let closed = false;
  let cancelled = false;
  let approvedAt: string | undefined;
  let awardedOriginal: Money | undefined;
  let vendorId: string | undefined;
  const providers = new Set<string>();
  let awardConverted = true;
  const unconvertedActual = new Map<string, number>();
  const reservations = new Map<string, { converted: number | undefined; original: Money }>();
  const ended = new Set<string>();
  let actual = 0;
  let failedAttempts = 0;
  const originalActual = new Map<string, number>();
  for (const f of sorted) {
    switch (f.kind) {
      case 'routed': {
        route = f.route;
        estimate = amount(f.estimate, f.at) ?? estimate;
        break;
      }
      case 'reserved':
        reservations.set(f.taskId, { converted: amount(f.amount, f.at), original: f.amount });
        break;
      case 'usage': {
        const converted = amount(f.amount, f.at);
        if (converted === undefined) addTo(unconvertedActual, f.amount);
        if (f.provider) providers.add(f.provider);
        const used = converted ?? 0;
        addTo(originalActual, f.amount);
        actual += used;
        // A failed attempt's task is retried under the same id: its reservation stays committed.
        if (f.outcome === 'completed') ended.add(f.taskId);
        else failedAttempts += used;
        break;
      }
      case 'task-ended':
        ended.add(f.taskId);
        break;
      case 'awarded': {
        const converted = amount(f.amount, f.at);
        awarded = converted ?? 0;
        awardConverted = converted !== undefined;
        awardedOriginal = f.amount;
        vendorId = f.vendorId;
        break;
      }
      case 'invoiced': {
        const converted = amount(f.amount, f.at);
        if (converted === undefined) addTo(unconvertedActual, f.amount);
        actual += converted ?? 0;
        addTo(originalActual, f.amount);
        break;
      }
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
  const originalCommitted = new Map<string, number>();
  const unconvertedCommitted = new Map<string, number>();
  if (route === 'vendor' && awardedOriginal) {
    addTo(originalCommitted, awardedOriginal);
    if (!awardConverted) addTo(unconvertedCommitted, awardedOriginal);
  }
  for (const [taskId, reserved] of reservations)
    if (!ended.has(taskId)) {
      openReservations += reserved.converted ?? 0;
      addTo(originalCommitted, reserved.original);
      if (reserved.converted === undefined) addTo(unconvertedCommitted, reserved.original);
    }
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
    ...(submitted.category ? { category: submitted.category } : {}),
    ...(submitted.complexity ? { complexity: submitted.complexity } : {}),
    ...(route === 'vendor' && vendorId ? { vendorId } : {}),
    providers: [...providers].sort(),
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
    originalCurrencies: [...originals].sort(),
    originalCommitted: moneyOf(originalCommitted),
    originalActual: moneyOf(originalActual),
    unconvertedCommitted: moneyOf(unconvertedCommitted),
    unconvertedActual: moneyOf(unconvertedActual),
    missingRates: [...missing.values()].sort((a, b) =>
      `${a.date}${a.from}${a.to}`.localeCompare(`${b.date}${b.from}${b.to}`),
    ),
  };
}
