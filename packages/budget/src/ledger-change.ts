import type { Fact } from './facts';
import type { MissingRate } from './fx';
import { type FoldedRow, foldFacts, type RowMoney } from './ledger-row';

/** The figures a budget line adds up over its shots. */
export const lineTotalFields = ['shots', 'estimate', 'committed', 'actual', 'etc', 'efc'] as const;
export type LineTotals = Record<(typeof lineTotalFields)[number], number>;

/** How much one fact moves a budget line's totals. */
export interface LineDelta extends LineTotals {
  lineId: string;
}

/** What storing more facts of a shot changes in the ledger, besides the facts themselves. */
export interface LedgerChange {
  /**
   * The lines whose totals move, or whose currency must be compared with the row's (the row's money
   * currency is new): usually the shot's one line.
   */
  lines: LineDelta[];
  /** The show whose shot set the shot joins (its row is new) or leaves (its row moved show). */
  joinShow?: string;
  leaveShow?: string;
  /** The row's money currency, once a fact carries money. */
  currency?: string;
  /** Rates this fact found missing that the row did not miss before: accountants are told. */
  newlyMissing?: { show: string; lineId: string; rates: MissingRate[] };
}

/**
 * A task-ended fact whose task has already ended (its delivered usage or another end is stored): the
 * fold only uses it to end the task, so it changes no row now or later, and the ledger need not keep
 * it. Usage of an attempt that delivered nothing does not end its task (the retry runs under its id).
 */
function addsNothing(facts: readonly Fact[], fact: Fact): boolean {
  return (
    fact.kind === 'task-ended' &&
    facts.some(
      (f) =>
        ((f.kind === 'usage' && f.outcome === 'completed') || f.kind === 'task-ended') &&
        f.taskId === fact.taskId,
    )
  );
}

/** Which of `added` the ledger keeps after a shot's stored `facts`: each judged after the ones before it. */
export function factsWorthStoring<T>(
  facts: readonly Fact[],
  added: readonly T[],
  factOf: (item: T) => Fact,
): T[] {
  const all = [...facts];
  const kept: T[] = [];
  for (const item of added) {
    if (addsNothing(all, factOf(item))) continue;
    all.push(factOf(item));
    kept.push(item);
  }
  return kept;
}

/** Totals of a line with no shots. */
export const zeroTotals = (): LineTotals => ({
  shots: 0,
  estimate: 0,
  committed: 0,
  actual: 0,
  etc: 0,
  efc: 0,
});

const zero = (lineId: string): LineDelta => ({ lineId, ...zeroTotals() });

function add(delta: LineDelta, row: FoldedRow, sign: 1 | -1): void {
  delta.shots += sign;
  for (const f of lineTotalFields) if (f !== 'shots') delta[f] += sign * row[f];
}

const moves = (d: LineDelta) => lineTotalFields.some((f) => d[f] !== 0);

/**
 * What adding `added` (one fact or several) to a shot's stored `facts` changes: undefined when it
 * changes nothing and need not be stored. Both rows come from the one fold, so the totals move by
 * exactly the row's difference, and a shot moved to another line or show (a revision may not, but the
 * log is what it is) leaves the old.
 */
export function ledgerChange(
  shotId: string,
  facts: readonly Fact[],
  added: Fact | readonly Fact[],
  money: RowMoney = {},
): LedgerChange | undefined {
  const kept = factsWorthStoring(facts, Array.isArray(added) ? added : [added], (f: Fact) => f);
  if (kept.length === 0) return undefined;
  const before = foldFacts(shotId, facts, money);
  // Without rates, throws CurrencyMismatch before anything is stored if the fact's money does not match the shot's.
  const after = foldFacts(shotId, [...facts, ...kept], money);
  // The submitted fact has not arrived yet: the fact is kept, the row comes when it does.
  if (!after) return { lines: [] };
  const lines = new Map<string, LineDelta>();
  const lineOf = (id: string) => lines.get(id) ?? lines.set(id, zero(id)).get(id)!;
  if (before) add(lineOf(before.lineId), before, -1);
  add(lineOf(after.lineId), after, 1);
  const currencyIsNew = after.currency !== undefined && before?.currency === undefined;
  const showMoved = before !== undefined && before.show !== after.show;
  const key = (r: MissingRate) => `${r.from}:${r.to}:${r.date}`;
  const missedBefore = new Set((before?.missingRates ?? []).map(key));
  const newlyMissing = after.missingRates.filter((r) => !missedBefore.has(key(r)));
  return {
    lines: [...lines.values()].filter((d) => moves(d) || (currencyIsNew && d.lineId === after.lineId)),
    ...(before === undefined || showMoved ? { joinShow: after.show } : {}),
    ...(showMoved ? { leaveShow: before.show } : {}),
    ...(after.currency === undefined ? {} : { currency: after.currency }),
    ...(newlyMissing.length > 0
      ? { newlyMissing: { show: after.show, lineId: after.lineId, rates: newlyMissing } }
      : {}),
  };
}
