import {
  estimateRoutes,
  evaluatePolicy,
  explainDecision,
  type PolicyInput,
  parsePolicy,
} from '@shotcaller/routing';
import { aPerformer, aShotRequest } from '@shotcaller/testkit';
import { describe, expect, it } from 'vitest';
import { examplePolicy, exampleRates, now } from './fixtures';

const rates = exampleRates();
const input = (shot = aShotRequest(), extra: Partial<PolicyInput> = {}): PolicyInput => ({
  shot,
  estimates: estimateRoutes(shot, rates),
  consentOnFile: false,
  now,
  ...extra,
});
const policy = (rules: string, fallback = 'vendor') =>
  parsePolicy(`version: 1\nid: t\nrules:\n${rules}\ndefault: { route: ${fallback} }\n`, 'test policy');

describe('the example policy', () => {
  const example = examplePolicy();

  it('sends destruction with nobody in frame, not final, to genai, and says why', () => {
    const decision = evaluatePolicy(
      example,
      input(aShotRequest({ category: 'destruction', deliverable: 'temp' })),
    );
    expect(decision.route).toBe('genai');
    expect(decision.provider).toBe('local');
    expect(decision.decidedBy).toBe('fx-no-performers');
    expect(decision.matchedRules[0]).toEqual({
      ruleId: 'fx-no-performers',
      outcome: 'genai',
      reason:
        'category destruction is in [destruction, fx-sim, environment, matte-painting, set-extension]; no performers in frame; deliverable temp is not in [final]',
    });
  });

  it('sends a final destruction shot to the default vendor route', () => {
    const decision = evaluatePolicy(
      example,
      input(aShotRequest({ category: 'destruction', deliverable: 'final' })),
    );
    expect(decision).toMatchObject({ route: 'vendor', decidedBy: 'default', matchedRules: [] });
  });

  it('sends face work to genai only with consent on file', () => {
    const shot = aShotRequest({
      category: 'face-likeness',
      performers: [aPerformer({ name: 'Ava Reyes', likeness: 'altered' })],
    });
    const without = evaluatePolicy(example, input(shot));
    expect(without).toMatchObject({ route: 'vendor', decidedBy: 'likeness-to-vendor' });
    expect(without.matchedRules[0]!.reason).toBe('likeness Ava Reyes (altered)');
    const withConsent = evaluatePolicy(example, input(shot, { consentOnFile: true }));
    expect(withConsent).toMatchObject({ route: 'genai', decidedBy: 'likeness-needs-consent' });
    // The later rule matched too, and is listed after the one that decided.
    expect(withConsent.matchedRules.map((m) => m.ruleId)).toEqual([
      'likeness-needs-consent',
      'likeness-to-vendor',
    ]);
  });

  it('sends shots to genai when a vendor would blow the budget line', () => {
    const shot = aShotRequest({ category: 'crowd', deliverable: 'final' });
    const tight = evaluatePolicy(
      example,
      input(shot, { budgetRemaining: { amountMinor: 100_00, currency: 'USD' } }),
    );
    expect(tight).toMatchObject({ route: 'genai', decidedBy: 'over-budget-to-genai' });
    expect(tight.matchedRules[0]!.reason).toMatch(
      /^vendor estimate USD [\d,]+\.\d\d is over the USD 100\.00 left on budget line NTH-VFX; no performers in frame$/,
    );
    const roomy = evaluatePolicy(
      example,
      input(shot, { budgetRemaining: { amountMinor: 10_000_000_00, currency: 'USD' } }),
    );
    expect(roomy.decidedBy).toBe('default');
    const unknown = evaluatePolicy(example, input(shot));
    expect(unknown.decidedBy).toBe('default');
  });
});

describe('policy evaluation', () => {
  const twoRules = policy(`  - id: first
    description: crowds to genai
    when: { category: { in: [crowd] } }
    route: genai
  - id: second
    description: anything short to vendor
    when: { frames: { max: 100 } }
    route: vendor`);

  it('lets the first matching rule decide and lists the later matches', () => {
    const decision = evaluatePolicy(twoRules, input(aShotRequest({ category: 'crowd' })));
    expect(decision.decidedBy).toBe('first');
    expect(decision.matchedRules.map((m) => m.ruleId)).toEqual(['first', 'second']);
    expect(decision.explanation).toContain('Also matched: second (vendor).');
  });

  it('falls back to the default when no rule matches', () => {
    const decision = evaluatePolicy(
      twoRules,
      input(aShotRequest({ category: 'roto', frames: { start: 1, end: 500 } })),
    );
    expect(decision).toMatchObject({ decidedBy: 'default', route: 'vendor', matchedRules: [] });
    expect(decision.explanation).toMatch(/^Routed to vendor by the policy default: no rule matched/);
  });

  it('honours a requested route over the rules, still listing what matched', () => {
    const decision = evaluatePolicy(
      twoRules,
      input(aShotRequest({ category: 'crowd', requestedRoute: 'vendor' })),
    );
    expect(decision).toMatchObject({ route: 'vendor', decidedBy: 'requested' });
    expect(decision.matchedRules.map((m) => m.ruleId)).toEqual(['first', 'second']);
  });

  it('puts an override above everything and records it', () => {
    const override = {
      by: 'ana',
      reason: 'hero shot',
      at: now.toISOString(),
      previousRoute: 'genai' as const,
    };
    const decision = evaluatePolicy(
      twoRules,
      input(aShotRequest({ category: 'crowd' }), {
        forced: { route: 'vendor', reason: 'hero shot', override },
      }),
    );
    expect(decision).toMatchObject({ route: 'vendor', decidedBy: 'override', override });
  });

  it('names the policy version, so a decision says exactly which policy made it', () => {
    expect(twoRules.policyVersion).toMatch(/^[a-f0-9]{64}$/);
    expect(evaluatePolicy(twoRules, input()).policyVersion).toBe(twoRules.policyVersion);
  });

  it('explains a decision for a terminal', () => {
    const decision = evaluatePolicy(twoRules, input(aShotRequest({ category: 'crowd' })));
    const text = explainDecision(decision);
    expect(text).toContain('route:      genai (local)');
    expect(text).toContain('  * first → genai: category crowd is in [crowd]');
    expect(text).toContain('  - second → vendor: 48 frames is within 0–100');
    expect(text).toMatch(/genai estimate:\s+USD [\d.,]+, [\d.]+ h/);
  });
});

describe('conditions', () => {
  const when =
    (condition: string) =>
    (shot = aShotRequest(), extra: Partial<PolicyInput> = {}) =>
      evaluatePolicy(
        policy(`  - id: r\n    description: d\n    when: ${condition}\n    route: genai`),
        input(shot, extra),
      ).decidedBy === 'r';

  it.each<
    [string, string, ReturnType<typeof aShotRequest>, ReturnType<typeof aShotRequest>, Partial<PolicyInput>?]
  >([
    [
      'category in',
      '{ category: { in: [crowd] } }',
      aShotRequest({ category: 'crowd' }),
      aShotRequest({ category: 'roto' }),
    ],
    [
      'category notIn',
      '{ category: { notIn: [crowd] } }',
      aShotRequest({ category: 'roto' }),
      aShotRequest({ category: 'crowd' }),
    ],
    [
      'deliverable',
      '{ deliverable: { in: [previs] } }',
      aShotRequest({ deliverable: 'previs' }),
      aShotRequest({ deliverable: 'final' }),
    ],
    [
      'complexity',
      '{ complexity: { in: [hero] } }',
      aShotRequest({ complexity: 'hero' }),
      aShotRequest({ complexity: 'simple' }),
    ],
    [
      'requested route',
      '{ requestedRoute: { in: [auto] } }',
      aShotRequest(),
      aShotRequest({ requestedRoute: 'genai' }),
    ],
    ['no performers', '{ performers: none }', aShotRequest(), aShotRequest({ performers: [aPerformer()] })],
    ['any performers', '{ performers: any }', aShotRequest({ performers: [aPerformer()] }), aShotRequest()],
    [
      'likeness',
      '{ performers: likeness }',
      aShotRequest({ performers: [aPerformer({ likeness: 'generated' })] }),
      aShotRequest({ performers: [aPerformer()] }),
    ],
    [
      'synthetic',
      '{ performers: synthetic }',
      aShotRequest({ performers: [aPerformer({ kind: 'synthetic' })] }),
      aShotRequest({ performers: [aPerformer()] }),
    ],
    [
      'frames',
      '{ frames: { min: 10, max: 50 } }',
      aShotRequest({ frames: { start: 1, end: 20 } }),
      aShotRequest({ frames: { start: 1, end: 200 } }),
    ],
    [
      'territories',
      '{ territories: { includesAny: [EU] } }',
      aShotRequest({ territories: ['US', 'EU'] }),
      aShotRequest({ territories: ['US'] }),
    ],
    [
      // On a one-frame shot the AI artist time dominates, so AI is barely cheaper; on 48 frames it is ~25×.
      'genai cheaper',
      '{ genaiCheaperBy: { ratio: 10 } }',
      aShotRequest({ category: 'destruction' }),
      aShotRequest({ category: 'destruction', frames: { start: 1, end: 1 } }),
    ],
    [
      'vendor misses deadline',
      '{ vendorMissesDeadline: true }',
      aShotRequest({ deadline: '2026-11-26T00:00:00Z' }),
      aShotRequest({ deadline: '2027-06-01T00:00:00Z' }),
    ],
    [
      'all',
      '{ all: [ { category: { in: [crowd] } }, { performers: none } ] }',
      aShotRequest({ category: 'crowd' }),
      aShotRequest({ category: 'crowd', performers: [aPerformer()] }),
    ],
    [
      'any',
      '{ any: [ { category: { in: [crowd] } }, { category: { in: [roto] } } ] }',
      aShotRequest({ category: 'roto' }),
      aShotRequest({ category: 'creature' }),
    ],
    [
      'not',
      '{ not: { category: { in: [crowd] } } }',
      aShotRequest({ category: 'roto' }),
      aShotRequest({ category: 'crowd' }),
    ],
  ])('%s holds for one shot and not for another', (_name, condition, yes, no) => {
    const matches = when(condition);
    expect(matches(yes)).toBe(true);
    expect(matches(no)).toBe(false);
  });

  it('consent on file is a fact passed in', () => {
    const matches = when('{ consentOnFile: true }');
    expect(matches(aShotRequest(), { consentOnFile: true })).toBe(true);
    expect(matches(aShotRequest(), { consentOnFile: false })).toBe(false);
  });

  it('vendor over budget holds only when the budget left is known and smaller', () => {
    const matches = when('{ vendorCostOverBudgetRemaining: true }');
    expect(matches(aShotRequest(), { budgetRemaining: { amountMinor: 1, currency: 'USD' } })).toBe(true);
    expect(matches(aShotRequest(), { budgetRemaining: { amountMinor: 1e12, currency: 'USD' } })).toBe(false);
    expect(matches(aShotRequest())).toBe(false);
  });
});
