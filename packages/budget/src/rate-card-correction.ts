import { minorUnitDigits } from '@shotcaller/contracts';
import { type Ratio, ratioOf, roundHalfEven } from './fx';
import type { LedgerRow } from './ledger-row';

type PerCategory = { default: string } & Record<string, string>;

/** The parts of the routing rate cards (packages/routing) a correction touches; the rest is kept as is. */
export interface RateCardsLike {
  currency: string;
  genai: {
    providers: Record<
      string,
      { pricing: { kind: string; gpuSecondsPerFrame?: PerCategory }; overheadPerShot?: string }
    >;
  };
  vendor: { ratePerFrame: PerCategory; overheadPerShot?: string };
}

/** One rate the settled shots say is off, and what it would become. */
export interface RateSuggestion {
  route: 'genai' | 'vendor';
  category: string;
  provider?: string;
  /** The rate card field, as a path: `vendor.ratePerFrame.destruction`. */
  path: string;
  shots: number;
  /** The median over the shots of (actual − overhead) / (estimate − overhead). */
  factor: number;
  before: string;
  after: string;
}

const decimalsOf = 4;

/** `value` × `f`, exact, rounded half to even to 4 decimals, trailing zeros dropped. */
function scale(value: string, f: Ratio): string {
  const v = ratioOf(value);
  const q = roundHalfEven(v.n * f.n * 10n ** BigInt(decimalsOf), v.d * f.d);
  const s = q.toString().padStart(decimalsOf + 1, '0');
  return `${s.slice(0, -decimalsOf)}.${s.slice(-decimalsOf)}`.replace(/\.?0+$/, '');
}

const toMinor = (major: string | undefined, currency: string) => {
  const r = ratioOf(major ?? '0');
  return roundHalfEven(r.n * 10n ** BigInt(minorUnitDigits(currency)), r.d);
};

/** Median of ratios, exactly: the middle one, or the mean of the two middle ones. */
function medianRatio(ratios: readonly Ratio[]): Ratio {
  const sorted = [...ratios].sort((a, b) => (a.n * b.d < b.n * a.d ? -1 : a.n * b.d > b.n * a.d ? 1 : 0));
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid]!;
  const [a, b] = [sorted[mid - 1]!, sorted[mid]!];
  return { n: a.n * b.d + b.n * a.d, d: 2n * a.d * b.d };
}

/**
 * Suggested rate-card corrections from settled (approved) shots: per route and category (and genai
 * provider), the median of (actual − overhead) / (estimate − overhead) scales the per-frame rate of that
 * category (the vendor's `ratePerFrame`, a GPU-priced provider's `gpuSecondsPerFrame`), the overhead
 * per shot being a fixed part of both. Only groups of at least `minShots` shots, and only rows in the
 * rate cards' currency, count. Returns the suggestions and the corrected cards, for the what-if.
 */
export function suggestRateCards<T extends RateCardsLike>(
  cards: T,
  rows: readonly LedgerRow[],
  minShots = 3,
): { suggestions: RateSuggestion[]; cards: T } {
  const groups = new Map<
    string,
    { route: 'genai' | 'vendor'; category: string; provider?: string; ratios: Ratio[] }
  >();
  for (const r of rows) {
    if (!r.closed || !r.approvedAt || !r.route || !r.category || r.currency !== cards.currency) continue;
    if (r.missingRates.length > 0) continue;
    const provider = r.route === 'genai' ? r.providers[0] : undefined;
    if (r.route === 'genai' && (!provider || r.providers.length > 1)) continue;
    const overheadText =
      r.route === 'vendor' ? cards.vendor.overheadPerShot : cards.genai.providers[provider!]?.overheadPerShot;
    const overhead = toMinor(overheadText, cards.currency);
    const estimate = BigInt(r.estimate) - overhead;
    if (estimate <= 0n) continue;
    const actual = BigInt(r.actual) - overhead;
    const key = `${r.route}/${provider ?? ''}/${r.category}`;
    const g = groups.get(key) ?? {
      route: r.route,
      category: r.category,
      ...(provider ? { provider } : {}),
      ratios: [],
    };
    g.ratios.push({ n: actual < 0n ? 0n : actual, d: estimate });
    groups.set(key, g);
  }
  const corrected = structuredClone(cards);
  const suggestions: RateSuggestion[] = [];
  for (const g of [...groups.values()].sort((a, b) =>
    `${a.route}${a.provider}${a.category}`.localeCompare(`${b.route}${b.provider}${b.category}`),
  )) {
    if (g.ratios.length < minShots) continue;
    const factor = medianRatio(g.ratios);
    let table: PerCategory | undefined;
    let path: string;
    if (g.route === 'vendor') {
      table = corrected.vendor.ratePerFrame;
      path = `vendor.ratePerFrame.${g.category}`;
    } else {
      const pricing = corrected.genai.providers[g.provider!]?.pricing;
      if (pricing?.kind !== 'gpu-seconds' || !pricing.gpuSecondsPerFrame) continue;
      table = pricing.gpuSecondsPerFrame;
      path = `genai.providers.${g.provider}.pricing.gpuSecondsPerFrame.${g.category}`;
    }
    const before = table[g.category] ?? table.default;
    const after = scale(before, factor);
    if (after === before) continue;
    table[g.category] = after;
    suggestions.push({
      route: g.route,
      category: g.category,
      ...(g.provider ? { provider: g.provider } : {}),
      path,
      shots: g.ratios.length,
      factor: Number((factor.n * 10_000n) / factor.d) / 10_000,
      before,
      after,
    });
  }
  return { suggestions, cards: corrected };
}
