import {
  CurrencyMismatch,
  frameCount,
  type LabourEstimate,
  minorUnitDigits,
  type RouteEstimate,
  ShotcallerError,
  type ShotRequest,
} from '@shotcaller/contracts';
import {
  add,
  type Decimal,
  divideToHundredths,
  formatDecimal,
  fromInteger,
  multiply,
  parseDecimal,
  toMinorUnits,
} from './decimal';
import type { RateCards } from './rate-cards';

const perCategory = <T>(map: { default: T } & Record<string, T>, category: string): T =>
  map[category] ?? map.default;
const hours = (n: number) => Math.round(n * 100) / 100;

/** A rule or request names a genai provider the rate cards do not price. */
export class UnknownProvider extends ShotcallerError {
  readonly code = 'unknown_provider';
  constructor(readonly provider: string) {
    super(`No rate card for genai provider "${provider}"; add it under genai.providers in the rate cards`);
  }
}

/**
 * What the shot would cost and take on each route, from the rate cards. Pure integer arithmetic on
 * exact decimals; the amount is rounded half up to the currency's minor unit once, at the end.
 */
export function estimateRoutes(
  shot: ShotRequest,
  rates: RateCards,
  options: { provider?: string; budgetCurrency?: string } = {},
): { genai: RouteEstimate; vendor: RouteEstimate } {
  if (options.budgetCurrency && options.budgetCurrency !== rates.currency) {
    throw new CurrencyMismatch(rates.currency, options.budgetCurrency);
  }
  const frames = frameCount(shot.frames);
  const digits = minorUnitDigits(rates.currency);
  const providerName = options.provider ?? rates.genai.defaultProvider;
  const provider = rates.genai.providers[providerName];
  if (!provider) throw new UnknownProvider(providerName);

  let genaiCost: Decimal;
  let genaiBasis: string;
  const p = provider.pricing;
  if (p.kind === 'gpu-seconds') {
    const perFrame = perCategory(p.gpuSecondsPerFrame, shot.category);
    genaiCost = multiply(fromInteger(frames), parseDecimal(perFrame), parseDecimal(p.ratePerGpuSecond));
    genaiBasis = `${frames} frames × ${perFrame} GPU-s/frame (${shot.category}) × ${rates.currency} ${p.ratePerGpuSecond}/GPU-s`;
  } else if (p.kind === 'per-frame') {
    genaiCost = multiply(fromInteger(frames), parseDecimal(p.pricePerFrame));
    genaiBasis = `${frames} frames × ${rates.currency} ${p.pricePerFrame}/frame`;
  } else {
    // Footage seconds are frames / fps (23.976 is not exact in binary): divide last, with twelve guard
    // digits, so the only rounding that matters is the one to minor units.
    const fps = parseDecimal(String(shot.fps));
    const numerator = multiply(fromInteger(frames), parseDecimal(p.pricePerSecond), {
      units: 10n ** BigInt(fps.scale + 12),
      scale: 0,
    });
    genaiCost = { units: numerator.units / fps.units, scale: numerator.scale + 12 };
    genaiBasis = `${frames} frames at ${shot.fps} fps × ${rates.currency} ${p.pricePerSecond}/second of footage`;
  }
  if (provider.overheadPerShot !== '0') {
    genaiCost = add(genaiCost, parseDecimal(provider.overheadPerShot));
    genaiBasis += ` + ${rates.currency} ${provider.overheadPerShot} artist time`;
  }
  const genaiHours = provider.turnaround.setupHours + (frames * provider.turnaround.secondsPerFrame) / 3600;

  const vendorRate = perCategory(rates.vendor.ratePerFrame, shot.category);
  const multiplier = rates.vendor.complexity[shot.complexity];
  const vendorFrameWork = multiply(fromInteger(frames), parseDecimal(vendorRate), parseDecimal(multiplier));
  const vendorCost = add(vendorFrameWork, parseDecimal(rates.vendor.overheadPerShot));
  const vendorDays = perCategory(rates.vendor.turnaroundDays, shot.category);

  return {
    genai: {
      route: 'genai',
      provider: providerName,
      cost: { amountMinor: toMinorUnits(genaiCost, digits), currency: rates.currency },
      turnaroundHours: hours(genaiHours),
      basis: `${genaiBasis} = ${rates.currency} ${formatDecimal(genaiCost)}`,
      labour: labourOf(
        parseDecimal(provider.overheadPerShot),
        `${rates.currency} ${provider.overheadPerShot} artist time per shot (${providerName})`,
        rates,
        digits,
      ),
    },
    vendor: {
      route: 'vendor',
      cost: { amountMinor: toMinorUnits(vendorCost, digits), currency: rates.currency },
      turnaroundHours: hours(vendorDays * 24),
      basis: `${frames} frames × ${rates.currency} ${vendorRate}/frame (${shot.category}) × ${multiplier} (${shot.complexity}) + ${rates.currency} ${rates.vendor.overheadPerShot} overhead = ${rates.currency} ${formatDecimal(vendorCost)}; ${vendorDays} days`,
      labour: labourOf(
        vendorFrameWork,
        `vendor frame work ${frames} frames × ${rates.currency} ${vendorRate}/frame × ${multiplier}, without the per-shot overhead`,
        rates,
        digits,
      ),
    },
  };
}

/** The artist time inside an estimate, in money and, when the rate cards give a day rate, in artist-days. */
function labourOf(artistCost: Decimal, what: string, rates: RateCards, digits: number): LabourEstimate {
  const cost = { amountMinor: toMinorUnits(artistCost, digits), currency: rates.currency };
  const dayRate = rates.labour?.artistDayRate;
  if (!dayRate) return { artistCost: cost, basis: `${what}; no artist day rate in the rate cards` };
  const days = divideToHundredths(artistCost, parseDecimal(dayRate));
  return {
    artistCost: cost,
    artistDays: days,
    basis: `${what} ÷ ${rates.currency} ${dayRate}/artist-day = ${days} artist-days`,
  };
}
