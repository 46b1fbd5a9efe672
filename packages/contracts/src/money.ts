import { z } from 'zod';

const isoCurrencies = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 alphabetic currency code, e.g. `USD`. */
export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as USD')
  .refine((c) => isoCurrencies.has(c), {
    error: (i) => `${String(i.input)} is not an ISO 4217 currency code`,
  });
export type CurrencyCode = z.infer<typeof CurrencyCode>;

/** An amount of money in integer minor units (cents for USD, yen for JPY). Never a float. */
export const Money = z.strictObject({
  amountMinor: z.int({ error: 'must be a whole number of minor units (e.g. cents), not a fraction' }),
  currency: CurrencyCode,
});
export type Money = z.infer<typeof Money>;

/** Money that cannot be negative: budgets, bids, estimates, usage. */
export const NonNegativeMoney = Money.extend({
  amountMinor: z
    .int({ error: 'must be a whole number of minor units (e.g. cents), not a fraction' })
    .nonnegative('must not be negative'),
});
export type NonNegativeMoney = z.infer<typeof NonNegativeMoney>;

const digitsOf = new Map<string, number>();

/** Number of digits after the decimal point for a currency (2 for USD, 0 for JPY, 3 for BHD). */
export function minorUnitDigits(currency: string): number {
  // Building an Intl.NumberFormat costs far more than the answer: every shot's estimates ask it.
  let digits = digitsOf.get(currency);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
    digitsOf.set(currency, digits);
  }
  return digits;
}

const formats = new Map<number, Intl.NumberFormat>();

/** Formats money for people, e.g. `USD 1,234.50`. */
export function formatMoney(m: Money): string {
  const digits = minorUnitDigits(m.currency);
  const value = m.amountMinor / 10 ** digits;
  // toLocaleString builds a formatter on every call, and routing formats several amounts for every shot.
  let format = formats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formats.set(digits, format);
  }
  return `${m.currency} ${format.format(value)}`;
}

/** An exchange rate as written: a positive decimal, kept as text so nothing is lost to binary floating point. */
export const RateText = z
  .string()
  .regex(/^\d{1,15}(\.\d{1,15})?$/, 'must be a positive decimal such as "1187.25"')
  .refine((r) => /[1-9]/.test(r), 'must not be zero');

/** One exchange rate: 1 unit of `from` buys `rate` units of `to` on `date` (a UTC day). */
export const FxRate = z.strictObject({
  date: z.iso.date(),
  from: CurrencyCode,
  to: CurrencyCode,
  rate: RateText,
});
export type FxRate = z.infer<typeof FxRate>;
