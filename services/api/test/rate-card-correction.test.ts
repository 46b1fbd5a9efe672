import { readFileSync } from 'node:fs';
import { LedgerRow, suggestRateCards } from '@shotcaller/budget';
import { checkPolicyAgainstRates, parsePolicy, parseRateCards } from '@shotcaller/routing';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';

const example = (name: string) => readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8');

/** A settled vendor destruction shot whose frames cost `factor` times their estimate (650.00 overhead apart). */
const settled = (i: number, factor: number) =>
  LedgerRow.parse({
    shotId: `s${i}`,
    show: 'NTH',
    sequence: 'COL',
    shot: `S${i}`,
    lineId: 'L',
    route: 'vendor',
    category: 'destruction',
    currency: 'USD',
    frames: 48,
    estimate: 65_000 + 1_000_000,
    committed: 0,
    actual: 65_000 + 1_000_000 * factor,
    etc: 0,
    efc: 0,
    closed: true,
    approvedAt: '2026-11-10T00:00:00Z',
  });

describe('the suggested rate-card correction', () => {
  it('is rate cards the what-if takes: they parse and fit the policy', () => {
    const cards = parseRateCards(example('rate-cards.yaml'), 'rate-cards.yaml');
    const { suggestions, cards: corrected } = suggestRateCards(cards, [
      settled(1, 1.2),
      settled(2, 1.1),
      settled(3, 1.3),
    ]);
    expect(suggestions).toEqual([
      expect.objectContaining({ path: 'vendor.ratePerFrame.destruction', before: '240.00', after: '288' }),
    ]);
    const replayed = parseRateCards(stringify(corrected), 'the corrected rate cards');
    expect(replayed.vendor.ratePerFrame.destruction).toBe('288');
    expect(replayed.genai).toEqual(cards.genai);
    expect(() =>
      checkPolicyAgainstRates(parsePolicy(example('policy.yaml'), 'policy.yaml'), replayed),
    ).not.toThrow();
  });
});
