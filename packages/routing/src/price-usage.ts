import { type Money, minorUnitDigits } from '@shotcaller/contracts';
import { add, type Decimal, fromInteger, multiply, parseDecimal, toMinorUnits } from './decimal';
import { UnknownProvider } from './estimate';
import type { RateCards } from './rate-cards';

/**
 * What a finished genai task actually cost: its measured usage priced with its provider's rate card,
 * plus the artist time per shot. CPU-seconds of the embedded generator are priced like GPU-seconds.
 * An attempt that delivered nothing (`delivered: false`) costs its usage alone: no artist time, and
 * a per-frame card charges only the frames the provider reported as its usage.
 */
export function priceUsage(
  rates: RateCards,
  provider: string,
  usage: { unit: string; quantity: number },
  frames: number,
  options: { delivered?: boolean } = {},
): Money {
  const delivered = options.delivered ?? true;
  const card = rates.genai.providers[provider];
  if (!card) throw new UnknownProvider(provider);
  // Usage is measured in fractions (1.234 s): three decimals are kept exactly, the rest never mattered.
  const quantity = parseDecimal(usage.quantity.toFixed(3));
  let cost: Decimal;
  const p = card.pricing;
  if (p.kind === 'gpu-seconds') cost = multiply(quantity, parseDecimal(p.ratePerGpuSecond));
  else if (p.kind === 'per-frame')
    cost = multiply(
      delivered ? fromInteger(frames) : usage.unit === 'frame' ? quantity : fromInteger(0),
      parseDecimal(p.pricePerFrame),
    );
  else cost = multiply(quantity, parseDecimal(p.pricePerSecond));
  if (delivered) cost = add(cost, parseDecimal(card.overheadPerShot));
  return { amountMinor: toMinorUnits(cost, minorUnitDigits(rates.currency)), currency: rates.currency };
}
