import { readFileSync } from 'node:fs';
import { BudgetLineSchema } from '@shotcaller/budget';
import { ProviderProfile } from '@shotcaller/compliance';
import { CurrencyMismatch, type ShotRequest } from '@shotcaller/contracts';
import { decideShot, parsePolicy, parseRateCards, type RoutingPolicy } from '@shotcaller/routing';
import { aPerformer, aShotRequest } from '@shotcaller/testkit';
import { describe, expect, it } from 'vitest';
import { type ShotHistory, type SimulationInput, simulate } from '../src';

const example = (path: string) => readFileSync(new URL(`../../../examples/${path}`, import.meta.url), 'utf8');
const rates = parseRateCards(example('rate-cards.yaml'), 'rate-cards.yaml');
const allVendor = parsePolicy(example('policies/all-vendor.yaml'), 'all-vendor.yaml');
const genaiWhereEligible = parsePolicy(
  example('policies/genai-where-eligible.yaml'),
  'genai-where-eligible.yaml',
);
const providers = {
  local: ProviderProfile.parse({
    name: 'local',
    trainingDataLicence: 'owned',
    enterpriseSecured: true,
    trainsOnInputs: false,
  }),
};
const now = new Date('2026-06-01T00:00:00Z');

/** A shot as it was recorded under `policy`: its decision, when it came back and what it cost. */
function recorded(
  request: ShotRequest,
  policy: RoutingPolicy,
  extra: Partial<ShotHistory> & { hoursToDeliver?: number } = {},
): ShotHistory {
  const shotId = `sh-${request.shot}`;
  const { decision, precheck } = decideShot({
    request,
    shotId,
    policy,
    rates,
    consents: [],
    approvals: [],
    providers,
    now,
  });
  const submittedAt = '2026-05-01T00:00:00.000Z';
  return {
    shotId,
    request,
    submittedAt,
    decision,
    precheck,
    held: precheck.outcome === 'hold',
    approved: false,
    cancelled: false,
    ...(extra.hoursToDeliver !== undefined
      ? { deliveredAt: new Date(Date.parse(submittedAt) + extra.hoursToDeliver * 3_600_000).toISOString() }
      : {}),
    ...extra,
  };
}

const input = (
  histories: ShotHistory[],
  policy: RoutingPolicy,
  more: Partial<SimulationInput> = {},
): SimulationInput => ({
  show: 'NTH',
  histories,
  candidate: { policy, rates },
  consents: [],
  approvals: [],
  providers,
  lines: [],
  snapshot: { upTo: '1-0', at: now },
  ...more,
});

const env = aShotRequest({ shot: 'COL_0010', category: 'environment', frames: { start: 1, end: 100 } });
const face = aShotRequest({
  shot: 'COL_0070',
  category: 'face-likeness',
  performers: [
    aPerformer({ id: 'marcus', name: 'Marcus Hale', union: 'sag-aftra', role: 'lead', likeness: 'altered' }),
  ],
});

describe('a what-if', () => {
  it('moves a vendor shot to genai, with the rules that fired under each policy and estimates on both sides', () => {
    const report = simulate(input([recorded(env, allVendor)], genaiWhereEligible));
    const [s] = report.shots;
    expect(s).toMatchObject({
      routeChanged: true,
      actual: { route: 'vendor', basis: 'estimate' },
      candidate: { route: 'genai', basis: 'estimate' },
    });
    const expected = decideShot({
      request: env,
      policy: genaiWhereEligible,
      rates,
      consents: [],
      approvals: [],
      providers,
      now,
    }).decision;
    expect(s!.candidate.cost).toEqual(expected.estimates.genai.cost);
    expect(s!.actual.cost).toEqual(expected.estimates.vendor.cost);
    expect(s!.candidate.decidedBy).toBe(expected.decidedBy);
    expect(report.totals.difference).toBe(
      expected.estimates.genai.cost.amountMinor - expected.estimates.vendor.cost.amountMinor,
    );
    expect(report.byRoute.find((r) => r.key === 'genai')!.candidate.shots).toBe(1);
  });

  it('names a shot the candidate would hold for missing consent, and what is missing', () => {
    // Under a policy that sends all work to AI, face work on a union lead with no consent on file is held.
    const allGenai = parsePolicy(
      'version: 1\nid: all-genai\nrules: []\ndefault: { route: genai }\n',
      'all-genai.yaml',
    );
    const report = simulate(input([recorded(face, allVendor)], allGenai));
    expect(report.shots[0]!.candidate).toMatchObject({
      route: 'held',
      basis: 'held',
      cost: { amountMinor: 0 },
    });
    expect(report.compliance).toMatchObject({ actualHolds: 0, candidateHolds: 1 });
    const hold = report.compliance.newHolds[0]!;
    expect(hold.shot).toBe('COL_0070');
    expect(hold.missing.some((m) => m.kind === 'consent' && m.performerId === 'marcus')).toBe(true);
  });

  it('uses the actual cost where it is known and the route stays, and says so', () => {
    const done = recorded(env, allVendor, {
      approved: true,
      hoursToDeliver: 200,
      actual: { amountMinor: 777_700, currency: 'USD' },
    });
    const same = simulate(input([done], allVendor));
    expect(same.shots[0]!.actual).toMatchObject({ basis: 'actual', cost: { amountMinor: 777_700 } });
    expect(same.shots[0]!.candidate).toMatchObject({ basis: 'actual', cost: { amountMinor: 777_700 } });
    expect(same.totals.difference).toBe(0);
    // Moved to another route, the candidate can only be an estimate.
    const moved = simulate(input([done], genaiWhereEligible));
    expect(moved.shots[0]!.candidate.basis).toBe('estimate');
  });

  it('estimates turnaround from the measured history of the route and category', () => {
    const a = recorded(aShotRequest({ shot: 'A', category: 'environment' }), allVendor, {
      hoursToDeliver: 100,
    });
    const b = recorded(aShotRequest({ shot: 'B', category: 'environment' }), allVendor, {
      hoursToDeliver: 300,
    });
    const c = recorded(aShotRequest({ shot: 'C', category: 'environment' }), allVendor);
    const report = simulate(input([a, b, c], allVendor));
    expect(report.turnaroundHistory).toEqual([
      { route: 'vendor', category: 'environment', samples: 2, medianHours: 100, p90Hours: 300 },
    ]);
    expect(report.shots.find((s) => s.shot === 'C')!.candidate.turnaround).toEqual({
      medianHours: 100,
      p90Hours: 300,
      basis: 'history-category',
    });
  });

  it('reports budget-line thresholds the candidate would cross', () => {
    const genaiShot = recorded(env, genaiWhereEligible);
    const { genai, vendor } = genaiShot.decision!.estimates;
    // A line the vendor estimate fills to 60%: all-vendor crosses 50% where the AI routing did not.
    const amount = Math.round((vendor.cost.amountMinor * 100) / 60);
    expect(genai.cost.amountMinor * 2).toBeLessThan(amount);
    const line = BudgetLineSchema.parse({
      id: 'NTH-VFX',
      show: 'NTH',
      amount: { amountMinor: amount, currency: 'USD' },
      thresholdsPercent: [50, 100],
    });
    const row = simulate(input([genaiShot], allVendor, { lines: [line] })).budgetLines[0]!;
    expect(row).toEqual({
      lineId: 'NTH-VFX',
      budget: amount,
      actual: genai.cost.amountMinor,
      candidate: vendor.cost.amountMinor,
      wouldCross: [50],
      wouldClear: [],
    });
    // And the other way round, the AI routing clears it.
    const back = simulate(input([recorded(env, allVendor)], genaiWhereEligible, { lines: [line] }))
      .budgetLines[0]!;
    expect(back).toMatchObject({ wouldCross: [], wouldClear: [50] });
  });

  it('refuses to add amounts in two currencies', () => {
    const eur = recorded(env, allVendor, { approved: true, actual: { amountMinor: 5, currency: 'EUR' } });
    const usd = recorded(aShotRequest({ shot: 'X' }), allVendor);
    expect(() => simulate(input([usd, eur], allVendor))).toThrow(CurrencyMismatch);
  });

  it('leaves cancelled shots out, and says so', () => {
    const report = simulate(input([recorded(env, allVendor, { cancelled: true })], allVendor));
    expect(report.shots).toHaveLength(0);
    expect(report.skipped).toEqual([{ shotId: 'sh-COL_0010', reason: 'cancelled' }]);
  });

  it('sets the labour figures of the candidate beside the actual: vendor work and artist-days the change would take or give', () => {
    const report = simulate(input([recorded(env, allVendor)], genaiWhereEligible));
    const { estimates } = decideShot({
      request: env,
      policy: genaiWhereEligible,
      rates,
      consents: [],
      approvals: [],
      providers,
      now,
    }).decision;
    // Routed to a vendor as it happened; the candidate would send it to AI, so the vendor work goes.
    expect(report.labour.actual).toMatchObject({ aiShots: 0, vendorShots: 1, vendorWouldBeCost: 0 });
    expect(report.labour.candidate).toMatchObject({
      aiShots: 1,
      vendorShots: 0,
      vendorWouldBeCost: estimates.vendor.cost.amountMinor,
      vendorArtistDaysNotContracted: estimates.vendor.labour!.artistDays,
      genaiArtistCost: estimates.genai.labour!.artistCost.amountMinor,
    });
    expect(report.labour.byCategory.map((c) => [c.key, c.actual.vendorShots, c.candidate.aiShots])).toEqual([
      ['environment', 1, 1],
    ]);
  });
});
