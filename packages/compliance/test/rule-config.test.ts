import { applyRuleConfig, catalogue, precheck, RuleConfigRefused } from '@shotcaller/compliance';
import { aShotRequest } from '@shotcaller/testkit';
import { describe, expect, it } from 'vitest';

const input = (deliverable: 'final' | 'temp', rules = catalogue) =>
  precheck(
    {
      shot: aShotRequest({ deliverable, territories: ['US'] }),
      route: 'genai',
      consents: [],
      approvals: [],
      history: { previouslyBidOrAwardedToUnionVendor: false },
      now: new Date(),
    },
    rules,
  );

describe('a production’s rule configuration', () => {
  it('tightens a rule and records the change', () => {
    const { rules, changes } = applyRuleConfig(catalogue, {
      'usco-part2.human-contribution': {
        action: 'require-approval',
        reason: 'counsel wants sign-off on every AI final',
      },
    });
    expect(changes).toEqual([
      {
        ruleId: 'usco-part2.human-contribution',
        field: 'action',
        before: 'record',
        after: 'require-approval',
        reason: 'counsel wants sign-off on every AI final',
      },
    ]);
    expect(rules.find((r) => r.id === 'usco-part2.human-contribution')!.action).toBe('require-approval');
  });

  it('refuses to disable or loosen a rule without allowLoosening', () => {
    expect(() =>
      applyRuleConfig(catalogue, {
        'streamer-guidance.final-deliverable-approval': { enabled: false, reason: 'not a streamer show' },
      }),
    ).toThrow(RuleConfigRefused);
    expect(() =>
      applyRuleConfig(catalogue, {
        'sag-aftra-2023.digital-replica-consent': { action: 'record', reason: 'trust me' },
      }),
    ).toThrow(/allowLoosening/);
  });

  it('disables a rule deliberately, and the pre-check no longer holds for it', () => {
    expect(input('final').outcome).toBe('hold');
    const { rules, changes } = applyRuleConfig(catalogue, {
      'streamer-guidance.final-deliverable-approval': {
        enabled: false,
        allowLoosening: true,
        reason: 'theatrical release, no streamer partner',
      },
    });
    expect(changes[0]).toMatchObject({ field: 'enabled', before: 'true', after: 'false' });
    expect(input('final', rules).outcome).toBe('allow');
  });

  it('names an unknown rule and a missing reason', () => {
    expect(() =>
      applyRuleConfig(catalogue, { 'made-up': { enabled: false, allowLoosening: true, reason: 'x y z' } }),
    ).toThrow(/Rule made-up: no such rule/);
    expect(() =>
      applyRuleConfig(catalogue, { 'usco-part2.human-contribution': { action: 'block' } }),
    ).toThrow(/reason: is required/);
  });
});
