import { formatMoney, Money, minorUnitDigits, NonNegativeMoney, parseOrThrow } from '@shotcaller/contracts';
import { describe, expect, it } from 'vitest';

describe('money', () => {
  it('is integer minor units with an ISO 4217 code', () => {
    expect(parseOrThrow(Money, { amountMinor: 1999, currency: 'EUR' }, 'amount')).toEqual({
      amountMinor: 1999,
      currency: 'EUR',
    });
  });

  it('refuses fractions of a minor unit, naming the field', () => {
    expect(() => parseOrThrow(Money, { amountMinor: 19.99, currency: 'USD' }, 'amount')).toThrow(
      /amountMinor: must be a whole number of minor units/,
    );
  });

  it('refuses a currency code ISO 4217 does not have', () => {
    expect(() => parseOrThrow(Money, { amountMinor: 1, currency: 'XYZ' }, 'amount')).toThrow(
      /currency: XYZ is not an ISO 4217 currency code/,
    );
  });

  it('refuses negative amounts where money cannot be negative', () => {
    expect(() => parseOrThrow(NonNegativeMoney, { amountMinor: -5, currency: 'USD' }, 'bid')).toThrow(
      /amountMinor: must not be negative/,
    );
  });

  it('knows how many minor digits each currency has', () => {
    expect(minorUnitDigits('USD')).toBe(2);
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(minorUnitDigits('BHD')).toBe(3);
    expect(formatMoney({ amountMinor: 123450, currency: 'USD' })).toBe('USD 1,234.50');
    expect(formatMoney({ amountMinor: 5000, currency: 'JPY' })).toBe('JPY 5,000');
  });
});
