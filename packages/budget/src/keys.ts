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
  };
}
export type BudgetKeys = ReturnType<typeof budgetKeys>;
