import type { MissingFxRate, Money } from '@shotcaller/contracts';
import { missingRate, refusal } from './refusal';
import type { Bid, BidPrice, BudgetCheck } from './ticket';

// The budget rules of an award, in two generations. Tickets that read their budget before bids could
// come in another currency (the `bids-in-other-currencies` patch) compare amounts as billed, in one
// currency (`lowestBidWithinBudget`, `overBudget`), for as long as such a ticket can be replayed. Since
// the patch, bids are compared by their price in the line's currency, from a BudgetCheck.

/** What the budget line has left for the shot; undefined when the shot has no line. */
export type Remaining = Money | undefined;

/**
 * What the ledger answered when an award was checked: a BudgetCheck (each bid priced in the line's
 * currency), or, on tickets that read their budget before the patch, the line's remainder alone.
 */
export type AwardBudget = { check: BudgetCheck } | { remaining: Remaining };

/**
 * The bid the auto-award rule picks: the lowest within what the budget line has left, earliest first
 * on a tie; none when every bid is over (a person must then award, with an overrun approval).
 */
export function lowestBidWithinBudget(bids: readonly Bid[], remaining: Remaining): Bid | undefined {
  const eligible = bids.filter(
    (b) =>
      remaining === undefined ||
      (b.amount.currency === remaining.currency && b.amount.amountMinor <= remaining.amountMinor),
  );
  return [...eligible].sort(
    (a, b) => a.amount.amountMinor - b.amount.amountMinor || a.at.localeCompare(b.at),
  )[0];
}

/** Whether awarding `amount` overruns what the line has left (a line in another currency counts as unknown). */
export function overBudget(amount: Money, remaining: Remaining): boolean {
  return (
    remaining !== undefined &&
    amount.currency === remaining.currency &&
    amount.amountMinor > remaining.amountMinor
  );
}

/** A bid the check priced, with its price (or why it has none). */
export type PricedBid = BidPrice & { bid: Bid };

/** The bids `check` priced, in the order they came in; a bid that came in after the check is not among them. */
export function pricedBids(bids: readonly Bid[], check: BudgetCheck): PricedBid[] {
  return bids.flatMap((bid) => {
    const price = check.prices.find((p) => p.bidId === bid.bidId);
    return price ? [{ ...price, bid }] : [];
  });
}

/**
 * The bid the auto-award rule picks by price in the line's currency: the lowest within what the line has
 * left, earliest first on a tie. None when a bid has no price for want of a rate, since that bid may be
 * the lowest (a person decides, or the next deadline once the rate is recorded), and none when every bid
 * is over. A bid too large to convert is over any line: it is never picked.
 */
export function lowestPricedBidWithinBudget(
  priced: readonly PricedBid[],
  remaining: Remaining,
): Bid | undefined {
  if (priced.some((p) => 'missing' in p)) return undefined;
  const eligible = priced.flatMap((p) =>
    'amount' in p && (remaining === undefined || p.amount.amountMinor <= remaining.amountMinor)
      ? [{ bid: p.bid, price: p.amount.amountMinor }]
      : [],
  );
  return eligible.sort((a, b) => a.price - b.price || a.bid.at.localeCompare(b.bid.at))[0]?.bid;
}

/** The auto-award's pick among `bids`, by whichever generation of the rules `budget` comes from. */
export function autoAwardPick(bids: readonly Bid[], budget: AwardBudget): Bid | undefined {
  return 'check' in budget
    ? lowestPricedBidWithinBudget(pricedBids(bids, budget.check), budget.check.remaining)
    : lowestBidWithinBudget(bids, budget.remaining);
}

/** The bids the auto-award could not compare for want of a rate, with the rate each lacks. */
export function bidsWithoutRate(
  bids: readonly Bid[],
  budget: AwardBudget | undefined,
): Array<{ bid: Bid; missing: MissingFxRate }> {
  if (!budget || !('check' in budget)) return [];
  return pricedBids(bids, budget.check).flatMap((p) => ('missing' in p ? [p] : []));
}

/** How an award of one bid stands against its line. */
export type AwardVerdict =
  | {
      kind: 'checked';
      over: boolean;
      remaining: Remaining;
      /** The bid's price in the line's currency, when it was billed in another. */
      converted?: { amount: Money; date: string };
    }
  /** In another currency than the line's, with no rate for the check's day: nobody can say if it overruns. */
  | { kind: 'no-rate'; remaining: Money; missing?: MissingFxRate }
  | { kind: 'too-large'; remaining: Money };

/** Whether awarding `bid` overruns what the line has left, comparing in the line's currency. */
export function awardVerdict(bid: Bid, budget: AwardBudget): AwardVerdict {
  if (!('check' in budget))
    return { kind: 'checked', over: overBudget(bid.amount, budget.remaining), remaining: budget.remaining };
  const { remaining, date } = budget.check;
  // With no line there is nothing to overrun, whatever the bid's currency.
  if (!remaining) return { kind: 'checked', over: false, remaining };
  const price = budget.check.prices.find((p) => p.bidId === bid.bidId);
  if (!price || 'missing' in price)
    return { kind: 'no-rate', remaining, ...(price ? { missing: price.missing } : {}) };
  if ('tooLarge' in price) return { kind: 'too-large', remaining };
  return {
    kind: 'checked',
    over: price.amount.amountMinor > remaining.amountMinor,
    remaining,
    ...(bid.amount.currency === remaining.currency ? {} : { converted: { amount: price.amount, date } }),
  };
}

/** How `bid` stands against its line, or the refusal of a bid that cannot be priced in the line's currency. */
export function checkAgainstLine(bid: Bid, budget: AwardBudget, budgetLine: string) {
  const verdict = awardVerdict(bid, budget);
  if (verdict.kind === 'no-rate')
    throw refusal(
      `Bid ${bid.bidId} is in ${bid.amount.currency} and the ledger has ${verdict.missing ? missingRate(verdict.missing) : `no price for it in ${verdict.remaining.currency}`}, so it cannot be checked against what budget line ${budgetLine} has left: record the rate (PUT /v1/fx-rates, or shotcaller budget rates import), then award it again`,
      'RateMissing',
    );
  if (verdict.kind === 'too-large')
    throw refusal(
      `Bid ${bid.bidId} (${bid.amount.amountMinor} ${bid.amount.currency} minor units) is too large to convert into ${verdict.remaining.currency} exactly; the vendor should check its amount and bid again`,
    );
  const { converted, over, remaining } = verdict;
  const priced =
    converted &&
    `${converted.amount.amountMinor} ${converted.amount.currency} minor units at the rate of ${converted.date}`;
  return { over, remaining, priced };
}
