import { catalogue, type PrecheckInput, precheck } from '@shotcaller/compliance';
import type { ApprovalKind } from '@shotcaller/contracts';
import { aConsent, aPerformer, aShotRequest } from '@shotcaller/testkit';
import { describe, expect, it } from 'vitest';

const now = new Date('2026-11-25T10:00:00Z');
const ava = aPerformer({ id: 'p-ava', name: 'Ava Reyes', likeness: 'altered' });
const avaConsent = aConsent({ id: 'c-ava', performerId: 'p-ava', performerName: 'Ava Reyes' });
const approval = (kind: ApprovalKind, shotId?: string) => ({
  id: `ap-${kind}`,
  kind,
  show: 'NTH',
  ...(shotId ? { shotId } : {}),
  approvedBy: 'legal@studio.test',
  note: '',
  recordedAt: '2026-11-01T00:00:00Z',
});

const input = (overrides: Partial<PrecheckInput> = {}): PrecheckInput => ({
  shot: aShotRequest(),
  shotId: 'sh-1',
  route: 'genai',
  consents: [],
  approvals: [],
  history: { previouslyBidOrAwardedToUnionVendor: false },
  now,
  ...overrides,
});

const findingsOf = (ruleId: string, i: PrecheckInput) =>
  precheck(i).findings.filter((f) => f.ruleId === ruleId);
const unmet = (ruleId: string, i: PrecheckInput) => findingsOf(ruleId, i).some((f) => !f.satisfied);

/** [rule id, a case that triggers it unmet, a case where it does not apply or is satisfied] */
const cases: Array<[string, PrecheckInput, PrecheckInput]> = [
  [
    'sag-aftra-2023.digital-replica-consent',
    input({ shot: aShotRequest({ performers: [ava] }) }),
    input({ shot: aShotRequest({ performers: [ava] }), consents: [avaConsent] }),
  ],
  [
    'sag-aftra-2023.replica-compensation',
    input({
      shot: aShotRequest({ performers: [ava] }),
      consents: [{ ...avaConsent, compensationRef: undefined }],
    }),
    input({ shot: aShotRequest({ performers: [ava] }), consents: [avaConsent] }),
  ],
  [
    'estate-consent.deceased-performer',
    input({ shot: aShotRequest({ performers: [{ ...ava, deceased: true }] }), consents: [avaConsent] }),
    input({
      shot: aShotRequest({ performers: [{ ...ava, deceased: true }] }),
      consents: [{ ...avaConsent, grantedBy: 'estate' }],
    }),
  ],
  [
    'ca-ab-2602.representation',
    input({
      shot: aShotRequest({ performers: [ava], territories: ['US-CA'] }),
      consents: [{ ...avaConsent, represented: false }],
    }),
    input({
      shot: aShotRequest({ performers: [ava], territories: ['FR'] }),
      consents: [{ ...avaConsent, represented: false }],
    }),
  ],
  [
    'sag-aftra-2023.synthetic-performer-notice',
    input({ shot: aShotRequest({ performers: [aPerformer({ kind: 'synthetic' })] }) }),
    input({
      shot: aShotRequest({ performers: [aPerformer({ kind: 'synthetic' })] }),
      approvals: [approval('union-notice')],
    }),
  ],
  [
    'streamer-guidance.final-deliverable-approval',
    input({ shot: aShotRequest({ deliverable: 'final' }) }),
    input({
      shot: aShotRequest({ deliverable: 'final' }),
      approvals: [approval('final-deliverable', 'sh-1')],
    }),
  ],
  [
    'streamer-guidance.third-party-ip',
    input({
      shot: aShotRequest({
        referenceAssets: [{ uri: 'poster.jpg', kind: 'reference', rights: 'third-party' }],
      }),
    }),
    input({
      shot: aShotRequest({ referenceAssets: [{ uri: 'plate.exr', kind: 'plate', rights: 'owned' }] }),
    }),
  ],
  [
    'eu-ai-act-art50.disclosure',
    input({ shot: aShotRequest({ deliverable: 'final', territories: ['EU'], category: 'environment' }) }),
    input({ shot: aShotRequest({ deliverable: 'final', territories: ['US'], category: 'environment' }) }),
  ],
  [
    'usco-part2.human-contribution',
    input({ shot: aShotRequest({ deliverable: 'final' }) }),
    input({ shot: aShotRequest({ deliverable: 'temp' }) }),
  ],
  [
    'wga-2023.ai-material-disclosure',
    input({ shot: aShotRequest({ briefProvenance: 'ai-generated' }), route: 'vendor' }),
    input({ shot: aShotRequest({ briefProvenance: 'human' }) }),
  ],
  [
    'iatse-2024.displacement-consultation',
    input({ history: { previouslyBidOrAwardedToUnionVendor: true } }),
    input({
      history: { previouslyBidOrAwardedToUnionVendor: true },
      approvals: [approval('union-notice', 'sh-1'), approval('crew-consultation', 'sh-1')],
    }),
  ],
  [
    'streamer-guidance.no-training-on-inputs',
    input({
      provider: {
        name: 'cheapgen',
        trainsOnInputs: true,
        trainingDataLicence: 'licensed',
        enterpriseSecured: false,
      },
    }),
    input({
      provider: {
        name: 'local',
        trainsOnInputs: false,
        trainingDataLicence: 'owned',
        enterpriseSecured: true,
      },
    }),
  ],
  [
    'model-provenance.training-data-licence',
    input({
      provider: {
        name: 'mystery',
        trainsOnInputs: false,
        trainingDataLicence: 'unknown',
        enterpriseSecured: false,
      },
    }),
    input({
      provider: {
        name: 'mystery',
        trainsOnInputs: false,
        trainingDataLicence: 'unknown',
        enterpriseSecured: false,
      },
      approvals: [approval('model-licence')],
    }),
  ],
];

describe('the rule catalogue', () => {
  it('has a test case for every rule', () => {
    expect(cases.map((c) => c[0]).sort()).toEqual(catalogue.map((r) => r.id).sort());
  });

  it('cites a source, a trigger and an action for every rule', () => {
    for (const rule of catalogue) {
      expect(rule.source.length).toBeGreaterThan(20);
      expect(rule.trigger.length).toBeGreaterThan(10);
    }
  });

  it.each(cases)('%s triggers on one shot and not on another', (ruleId, triggering, quiet) => {
    expect(unmet(ruleId, triggering)).toBe(true);
    expect(unmet(ruleId, quiet)).toBe(false);
  });
});

describe('the pre-check', () => {
  it('holds an AI shot that alters a lead’s face without consent, naming the missing consent', () => {
    const result = precheck(input({ shot: aShotRequest({ performers: [ava] }) }));
    expect(result.outcome).toBe('hold');
    const finding = result.findings.find((f) => f.ruleId === 'sag-aftra-2023.digital-replica-consent')!;
    expect(finding.reason).toMatch(
      /^no consent on file from Ava Reyes \(lead\) to digital alteration for NTH in US/,
    );
    expect(finding.missing).toEqual([
      {
        kind: 'consent',
        ruleId: 'sag-aftra-2023.digital-replica-consent',
        performerId: 'p-ava',
        description:
          'consent of Ava Reyes to digital alteration for NTH, territories US, with a specific description of the intended use',
      },
    ]);
  });

  it('allows it with a matching consent and names the consent it relied on', () => {
    const result = precheck(input({ shot: aShotRequest({ performers: [ava] }), consents: [avaConsent] }));
    expect(result).toMatchObject({ outcome: 'allow', consentIds: ['c-ava'] });
  });

  it.each<[string, object]>([
    ['expired', { validUntil: '2026-06-01T00:00:00Z' }],
    ['for another show', { shows: ['OTHER'] }],
    ['for another territory', { territories: ['FR'] }],
    ['for another use', { uses: ['synthetic-performer'] }],
    ['not yet valid', { validFrom: '2027-01-01T00:00:00Z' }],
  ])('does not count a consent that is %s', (_why, patch) => {
    const result = precheck(
      input({ shot: aShotRequest({ performers: [ava] }), consents: [{ ...avaConsent, ...patch }] }),
    );
    expect(result.outcome).toBe('hold');
  });

  it('counts background performers too', () => {
    const extra = aPerformer({ role: 'background', likeness: 'generated' });
    expect(precheck(input({ shot: aShotRequest({ performers: [extra] }) })).outcome).toBe('hold');
  });

  it('lets a US consent cover a California release', () => {
    const result = precheck(
      input({
        shot: aShotRequest({ performers: [ava], territories: ['US-CA'] }),
        consents: [{ ...avaConsent, territories: ['US'] }],
      }),
    );
    expect(result.outcome).toBe('allow');
  });

  it('does not hold for disclosure or record-keeping alone', () => {
    const result = precheck(
      input({
        shot: aShotRequest({ deliverable: 'final', territories: ['EU'], category: 'environment' }),
        approvals: [approval('final-deliverable', 'sh-1')],
      }),
    );
    expect(result.outcome).toBe('allow');
    expect(
      result.findings
        .filter((f) => !f.satisfied)
        .map((f) => f.action)
        .sort(),
    ).toEqual(['disclose', 'record']);
  });

  it('does not look at AI-only rules for vendor work', () => {
    expect(
      precheck(input({ route: 'vendor', shot: aShotRequest({ performers: [ava], deliverable: 'final' }) }))
        .outcome,
    ).toBe('allow');
  });
});
