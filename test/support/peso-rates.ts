import type { ShotcallerEvent } from '@shotcaller/contracts';

/**
 * The tests' own reading of exchange rates, independent of the ledger's code: USD→ARS rates by day
 * from the log's rate events, the latest recorded for a day winning, and pesos converted to dollars by
 * exact integer arithmetic.
 */
export type PesoRates = Map<string, { rate: string; time: string }>;

/** Notes the USD→ARS rates an event records, if it records any. */
export function notePesoRates(rates: PesoRates, event: ShotcallerEvent): void {
  if (event.type !== 'io.shotcaller.budget.fx-rates.recorded.v1') return;
  for (const r of event.data.rates) {
    const held = rates.get(r.date);
    if (r.from === 'USD' && r.to === 'ARS' && (!held || held.time <= event.time))
      rates.set(r.date, { rate: r.rate, time: event.time });
  }
}

/** Pesos (centavos) in US cents at `rate` pesos a dollar: pesos × 10^digits / rate, half to even. */
export function pesosInCents(pesos: number, rate: string): number {
  const [whole, fraction = ''] = rate.split('.');
  const num = BigInt(whole! + fraction);
  const n = BigInt(pesos) * 10n ** BigInt(fraction.length);
  let q = n / num;
  const twice = (n % num) * 2n;
  if (twice > num || (twice === num && q % 2n === 1n)) q += 1n;
  return Number(q);
}

/** A shot's EFC by the rule docs/budget.md states: what it cost so far, plus what is left to complete. */
export function expectedEfc(shot: {
  estimate: number;
  committed: number;
  actual: number;
  approved: boolean;
  cancelled?: boolean;
}): number {
  const { estimate, committed, actual } = shot;
  const etc = shot.cancelled
    ? 0
    : shot.approved
      ? Math.max(committed - actual, 0)
      : Math.max(Math.max(estimate, committed) - actual, 0);
  return actual + etc;
}
