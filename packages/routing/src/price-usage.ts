import { type Money, minorUnitDigits } from '@shotcaller/contracts';
import { add, type Decimal, fromInteger, multiply, parseDecimal, toMinorUnits } from './decimal';
import { UnknownProvider } from './estimate';
import type { RateCards } from './rate-cards';

/**
 * What a finished genai task actually cost: its measured usage priced with its provider's rate card,
 * plus the artist time per shot. CPU-seconds of the embedded generator are priced like GPU-seconds.
 */
export function priceUsage(
  rates: RateCards,
  provider: string,
  usage: { unit: string; quantity: number },
  frames: number,
): Money {
  const card = rates.genai.providers[provider];
  if (!card) throw new UnknownProvider(provider);
  // Usage is measured in fractions (1.234 s): three decimals are kept exactly, the rest never mattered.
  const quantity = parseDecimal(usage.quantity.toFixed(3));
  let cost: Decimal;
  const p = card.pricing;
  if (p.kind === 'gpu-seconds') cost = multiply(quantity, parseDecimal(p.ratePerGpuSecond));
  else if (p.kind === 'per-frame') cost = multiply(fromInteger(frames), parseDecimal(p.pricePerFrame));
  else cost = multiply(quantity, parseDecimal(p.pricePerSecond));
  cost = add(cost, parseDecimal(card.overheadPerShot));
  return { amountMinor: toMinorUnits(cost, minorUnitDigits(rates.currency)), currency: rates.currency };
}
