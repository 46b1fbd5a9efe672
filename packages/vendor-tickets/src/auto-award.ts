import type { Bid } from './ticket';

/**
 * The bid the auto-award rule picks: the lowest within what the budget line has left, earliest first
 * on a tie; none when every bid is over (a person must then award, with an overrun approval).
 */
export function lowestBidWithinBudget(
  bids: readonly Bid[],
  remaining: { amountMinor: number; currency: string } | undefined,
): Bid | undefined {
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
export function overBudget(
  amount: { amountMinor: number; currency: string },
  remaining: { amountMinor: number; currency: string } | undefined,
): boolean {
  return (
    remaining !== undefined &&
    amount.currency === remaining.currency &&
    amount.amountMinor > remaining.amountMinor
  );
}
