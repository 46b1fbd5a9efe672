import {
  type FxRate,
  type MissingFxRate,
  type Money,
  minorUnitDigits,
  ShotcallerError,
} from '@shotcaller/contracts';

/** A rate that the table does not have, on or within the look-back before the cost's date. */
export type MissingRate = MissingFxRate;

/** A converted amount no longer fits a JavaScript safe integer: the figure would be silently wrong. */
export class AmountTooLarge extends ShotcallerError {
  readonly code = 'amount_too_large';
  constructor(readonly amount: string) {
    super(`${amount} is too large to keep exactly as minor units; check the amount and the rate`);
  }
}

/** An exact positive rational, numerator over denominator. */
export interface Ratio {
  n: bigint;
  d: bigint;
}

/** "1187.25" → 118725/100, exactly. */
export function ratioOf(rate: string): Ratio {
  const [whole, fraction = ''] = rate.split('.');
  return { n: BigInt(whole! + fraction), d: 10n ** BigInt(fraction.length) };
}

const mul = (a: Ratio, b: Ratio): Ratio => ({ n: a.n * b.n, d: a.d * b.d });
const inv = (a: Ratio): Ratio => ({ n: a.d, d: a.n });

/** n / d rounded to the nearest integer, ties to the even one (banker's rounding); d > 0. */
export function roundHalfEven(n: bigint, d: bigint): bigint {
  const negative = n < 0n;
  const a = negative ? -n : n;
  let q = a / d;
  const twice = (a % d) * 2n;
  if (twice > d || (twice === d && q % 2n === 1n)) q += 1n;
  return negative ? -q : q;
}

/** How many days before a cost's date a rate may come from (weekends and bank holidays have none). */
export const lookBackDays = 7;

const dayBefore = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/**
 * A table of exchange rates, and the one conversion rule of the ledger: an amount converts at the rate
 * of its own date (the UTC day of its fact), or failing that of the latest day up to `lookBackDays`
 * before it; directly, by the inverse of the opposite quote, or across one currency quoted against both
 * on that day (the ECB quotes everything against EUR). The product is exact (bigint rationals) and is
 * rounded once, half to even, to the target currency's minor unit.
 */
export class FxRates {
  private readonly byDay = new Map<string, Map<string, Ratio>>();

  constructor(rates: Iterable<FxRate>) {
    for (const r of rates) {
      const day = this.byDay.get(r.date) ?? new Map<string, Ratio>();
      this.byDay.set(r.date, day);
      day.set(`${r.from}:${r.to}`, ratioOf(r.rate));
    }
  }

  get size(): number {
    let n = 0;
    for (const day of this.byDay.values()) n += day.size;
    return n;
  }

  /** The rate of one day, direct, inverse or across a third currency; undefined if the day has none. */
  private onDay(from: string, to: string, date: string): Ratio | undefined {
    const day = this.byDay.get(date);
    if (!day) return undefined;
    const leg = (a: string, b: string) => {
      const direct = day.get(`${a}:${b}`);
      if (direct) return direct;
      const opposite = day.get(`${b}:${a}`);
      return opposite && inv(opposite);
    };
    const straight = leg(from, to);
    if (straight) return straight;
    const via = new Set([...day.keys()].flatMap((k) => k.split(':')));
    for (const c of [...via].sort()) {
      if (c === from || c === to) continue;
      const a = leg(from, c);
      const b = a && leg(c, to);
      if (a && b) return mul(a, b);
    }
    return undefined;
  }

  /** The rate that applies to a cost of `date` (see the class comment), or undefined. */
  rate(from: string, to: string, date: string): Ratio | undefined {
    if (from === to) return { n: 1n, d: 1n };
    for (let back = 0; back <= lookBackDays; back++) {
      const r = this.onDay(from, to, dayBefore(date, back));
      if (r) return r;
    }
    return undefined;
  }

  /** `money` in `to` at the rate of `at`'s day, or the rate that is missing. */
  convert(money: Money, to: string, at: string): { amountMinor: number } | { missing: MissingRate } {
    const date = at.slice(0, 10);
    const r = this.rate(money.currency, to, date);
    if (!r) return { missing: { from: money.currency, to, date } };
    return { amountMinor: convertExactly(money.amountMinor, money.currency, to, r) };
  }
}

/**
 * minor(from) × 10^-digits(from) × rate × 10^digits(to), computed exactly and rounded once, half to even,
 * to a whole minor unit of `to`.
 */
export function convertExactly(amountMinor: number, from: string, to: string, rate: Ratio): number {
  const n = BigInt(amountMinor) * rate.n * 10n ** BigInt(minorUnitDigits(to));
  const d = rate.d * 10n ** BigInt(minorUnitDigits(from));
  const out = roundHalfEven(n, d);
  if (out > BigInt(Number.MAX_SAFE_INTEGER) || out < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new AmountTooLarge(`${out} ${to} minor units`);
  return Number(out);
}
