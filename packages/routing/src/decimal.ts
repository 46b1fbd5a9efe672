import { z } from 'zod';

/**
 * Rates are written as decimal strings in major units ("0.0011" USD per GPU-second) and kept as exact
 * scaled integers, so that no step of an estimate is a float. Only the final amount is rounded, once.
 */
export interface Decimal {
  units: bigint;
  scale: number;
}

export const DecimalString = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : v),
  z.string().regex(/^\d+(\.\d{1,12})?$/, 'must be a non-negative decimal such as "0.0011" or "120.50"'),
);

export function parseDecimal(text: string): Decimal {
  const [whole, fraction = ''] = text.split('.');
  return { units: BigInt(`${whole}${fraction}`), scale: fraction.length };
}

export function multiply(...values: Decimal[]): Decimal {
  return values.reduce((a, b) => ({ units: a.units * b.units, scale: a.scale + b.scale }), {
    units: 1n,
    scale: 0,
  });
}

export function add(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return {
    units: a.units * 10n ** BigInt(scale - a.scale) + b.units * 10n ** BigInt(scale - b.scale),
    scale,
  };
}

export function fromInteger(n: number): Decimal {
  return { units: BigInt(n), scale: 0 };
}

/** Converts a major-unit amount to whole minor units, rounding half up exactly once. */
export function toMinorUnits(value: Decimal, minorDigits: number): number {
  const shift = value.scale - minorDigits;
  if (shift <= 0) return Number(value.units * 10n ** BigInt(-shift));
  const divisor = 10n ** BigInt(shift);
  const quotient = value.units / divisor;
  const remainder = value.units % divisor;
  return Number(remainder * 2n >= divisor ? quotient + 1n : quotient);
}

export function formatDecimal(d: Decimal): string {
  const s = d.units.toString().padStart(d.scale + 1, '0');
  return d.scale === 0 ? s : `${s.slice(0, -d.scale)}.${s.slice(-d.scale)}`.replace(/\.?0+$/, '');
}

/** `a / b` to hundredths, rounded half up: artist-days from money and a day rate. `b` must not be zero. */
export function divideToHundredths(a: Decimal, b: Decimal): number {
  // a.units/10^a.scale ÷ b.units/10^b.scale × 100, as one integer division.
  const numerator = a.units * 10n ** BigInt(b.scale) * 100n;
  const denominator = b.units * 10n ** BigInt(a.scale);
  const quotient = numerator / denominator;
  const rounded = (numerator % denominator) * 2n >= denominator ? quotient + 1n : quotient;
  return Number(rounded) / 100;
}
