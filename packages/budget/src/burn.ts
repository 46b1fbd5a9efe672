import type { BudgetHistory, Money } from '@shotcaller/contracts';

/** One point of the burn: the actual spend so far, at a moment. */
export type BurnPoint = BudgetHistory['burn'][number];

/** A chart needs a few hundred points at most: more would only weigh on a page that refreshes live. */
export const burnPoints = 300;

/**
 * The cumulative actual spend of a show from its costs (oldest first, in its reporting currency), thinned
 * to at most `maxPoints` by keeping the last point of each step, and always the latest.
 */
export function burnSeries(
  spend: ReadonlyArray<{ at: string; amount: Money }>,
  maxPoints = burnPoints,
): BurnPoint[] {
  let total = 0;
  const burn = spend.map((s) => {
    total += s.amount.amountMinor;
    return { at: s.at, actual: total, currency: s.amount.currency };
  });
  const step = Math.max(1, Math.ceil(burn.length / maxPoints));
  return burn.filter((_, i) => i % step === step - 1 || i === burn.length - 1);
}
