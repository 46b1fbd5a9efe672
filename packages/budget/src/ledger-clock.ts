/**
 * The ledger's clock (see keys.ts): the rates version in the upper part, a count of facts stored in the
 * lower 32 bits. Lua numbers are doubles, exact to 2^53: 2^21 rate changes, far beyond a production's.
 */
export const ratesVersionStep = 2 ** 32;

/** The rates version a clock value (as Redis returns it; none is 0) stands for. */
export function ratesVersionOf(clock: string | null | undefined): string {
  return String(Math.floor(Number(clock ?? '0') / ratesVersionStep));
}
