import { deploymentPrefix } from '@shotcaller/events';

/** Budget projection keys: droppable and rebuilt by replaying the log. */
export function budgetKeys(deployment: string) {
  const p = `${deploymentPrefix(deployment)}budget:`;
  return {
    prefix: p,
    /** A shot's facts: one string, a line per fact (see stored-facts.ts). */
    shotFacts: (shotId: string) => `${p}shot-facts:${shotId}`,
    /** The ids of a show's shots. */
    show: (show: string) => `${p}show:${show}`,
    /** line id → the line as configured (JSON), to list them. */
    lines: `${p}lines`,
    /** A line's configuration, totals and threshold crossings, one hash (see lib-thresholds.lua). */
    lineState: (lineId: string) => `${p}line-state:${lineId}`,
    /** FROM:TO:DATE → the rate that applies (JSON: rate, and the time and id of the event that set it). */
    fxRates: `${p}fx-rates`,
    /**
     * The ledger's clock, one integer: the rates version × 2^32 plus the facts stored since. A rate that
     * changes moves the upper part (a fold made with older rates is refused); every stored fact bumps it
     * (a re-total of the lines made from older facts is refused). One INCR per fact does both checks'
     * work, where two keys took a GET and an INCR. See ledger-clock.ts.
     */
    clock: `${p}clock`,
    /** A line's versions: name → JSON (amount, when, by), and `current:` → the current version's name. */
    lineVersions: (lineId: string) => `${p}line-versions:${lineId}`,
  };
}
export type BudgetKeys = ReturnType<typeof budgetKeys>;
