import { minorUnitDigits } from '@shotcaller/contracts';

/** Minor units to whole major units, half up: estimates are shown no finer than the model behind them. */
export function wholeUnits(minor: number, currency: string): number {
  const per = 10 ** minorUnitDigits(currency || 'USD');
  return Math.sign(minor) * Math.floor(Math.abs(minor) / per + 0.5);
}

/** Whole major units for people, e.g. `USD 1,234,567`. */
export function formatWhole(minor: number, currency: string): string {
  return `${currency} ${wholeUnits(minor, currency).toLocaleString('en')}`;
}
