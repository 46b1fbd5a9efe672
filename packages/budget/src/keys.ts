import { deploymentPrefix } from '@shotcaller/events';

/** Budget projection keys: droppable and rebuilt by replaying the log. */
export function budgetKeys(deployment: string) {
  const p = `${deploymentPrefix(deployment)}budget:`;
  return {
    prefix: p,
    facts: (shotId: string) => `${p}facts:${shotId}`,
    rows: `${p}rows`,
    show: (show: string) => `${p}show:${show}`,
    lines: `${p}lines`,
    lineTotals: (lineId: string) => `${p}line:${lineId}`,
    lineThresholds: (lineId: string) => `${p}line:${lineId}:thresholds`,
  };
}
export type BudgetKeys = ReturnType<typeof budgetKeys>;
