import { type BudgetVersionComparison, Money } from '@shotcaller/contracts';
import { z } from 'zod';
import type { FxRates, MissingRate } from './fx';

/** A version of a budget line ("bid", "locked", "revised after episode 3") as the ledger keeps it. */
export const LineVersion = z.object({
  version: z.string(),
  amount: Money,
  /** When it was recorded: its amount converts at this day's rate. */
  at: z.string(),
  by: z.string(),
  note: z.string().default(''),
  eventId: z.string(),
});
export type LineVersion = z.infer<typeof LineVersion>;

/** Which version is current, and the event that made it so. */
export const CurrentVersion = z.object({
  version: z.string(),
  at: z.string(),
  eventId: z.string(),
  by: z.string(),
});
export type CurrentVersion = z.infer<typeof CurrentVersion>;

/** A version beside the line's EFC: its amount as recorded, in the reporting currency, and the variance. */
export type VersionComparison = BudgetVersionComparison;

/** A version's amount in the line's currency, or the rate that is missing. */
export function versionBudget(
  v: LineVersion,
  currency: string,
  rates: FxRates,
): { amountMinor: number } | { missing: MissingRate } {
  return v.amount.currency === currency
    ? { amountMinor: v.amount.amountMinor }
    : rates.convert(v.amount, currency, v.at);
}

/** Every version of a line against its EFC, oldest first. */
export function compareVersions(
  versions: readonly LineVersion[],
  current: string | undefined,
  currency: string,
  efc: number,
  rates: FxRates,
): VersionComparison[] {
  return [...versions]
    .sort((a, b) => a.at.localeCompare(b.at) || a.version.localeCompare(b.version))
    .map((v) => {
      const b = versionBudget(v, currency, rates);
      const budget = 'amountMinor' in b ? b.amountMinor : null;
      return {
        version: v.version,
        current: v.version === current,
        amount: v.amount,
        at: v.at,
        budget,
        variance: budget === null ? null : budget - efc,
        ...('missing' in b ? { missingRate: b.missing } : {}),
      };
    });
}
