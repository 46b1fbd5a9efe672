import type { Performer } from '@shotcaller/contracts';
import { approvalsOf, matchingConsents, usesNeeded } from '../consent-match';
import type { PrecheckInput } from '../context';
import type { Outcome, Rule } from '../rule';

const affected = (input: PrecheckInput): Performer[] =>
  input.shot.performers.filter((p) => p.kind === 'human' && usesNeeded(p).length > 0);

const describeUse = (p: Performer) => (p.likeness === 'altered' ? 'digital alteration' : 'a digital replica');

function consentOutcome(
  input: PrecheckInput,
  p: Performer,
  check?: (ids: string[]) => Outcome | undefined,
): Outcome {
  const { covering, rejected } = matchingConsents(input.consents, {
    performer: p,
    show: input.shot.show,
    territories: input.shot.territories,
    now: input.now,
  });
  if (covering.length === 0) {
    return {
      satisfied: false,
      reason: `no consent on file from ${p.name} (${p.role}) to ${describeUse(p)} for ${input.shot.show} in ${input.shot.territories.join(', ')}${rejected.length ? ` (${rejected.join('; ')})` : ''}`,
      missing: [
        {
          kind: 'consent',
          ruleId: '',
          performerId: p.id,
          description: `consent of ${p.name} to ${describeUse(p)} for ${input.shot.show}, territories ${input.shot.territories.join(', ')}, with a specific description of the intended use`,
        },
      ],
    };
  }
  const ids = covering.map((c) => c.id);
  return (
    check?.(ids) ?? {
      satisfied: true,
      reason: `${p.name}: consent ${ids.join(', ')} covers ${describeUse(p)}`,
      consentIds: ids,
    }
  );
}

export const performerRules: Rule[] = [
  {
    id: 'sag-aftra-2023.digital-replica-consent',
    title: 'Digital replica or digital alteration needs the performer’s consent',
    source:
      'SAG-AFTRA 2023 TV/Theatrical Agreement (ratified Dec 2023), provisions on employment-based and independently created digital replicas and digital alteration',
    trigger:
      'a human performer (background performers included) whose likeness the shot generates or alters, on the genai route',
    action: 'block',
    severity: 'critical',
    routes: ['genai'],
    evaluate: (input) => {
      const people = affected(input);
      return people.length === 0 ? undefined : people.map((p) => consentOutcome(input, p));
    },
  },
  {
    id: 'sag-aftra-2023.replica-compensation',
    title: 'A digital replica used in place of work is compensated',
    source: 'SAG-AFTRA 2023 TV/Theatrical Agreement, digital replica compensation',
    trigger: 'a covering consent for a generated or altered likeness has no compensation reference',
    action: 'block',
    severity: 'high',
    routes: ['genai'],
    evaluate: (input) => {
      const people = affected(input);
      if (people.length === 0) return undefined;
      return people.flatMap((p) => {
        const { covering } = matchingConsents(input.consents, {
          performer: p,
          show: input.shot.show,
          territories: input.shot.territories,
          now: input.now,
        });
        if (covering.length === 0) return [];
        const paid = covering.filter((c) => c.compensationRef);
        return [
          paid.length > 0
            ? {
                satisfied: true,
                reason: `${p.name}: compensation ${paid.map((c) => c.compensationRef).join(', ')}`,
                consentIds: paid.map((c) => c.id),
              }
            : {
                satisfied: false,
                reason: `${p.name}: consent ${covering.map((c) => c.id).join(', ')} records no compensation`,
                missing: [
                  {
                    kind: 'consent' as const,
                    ruleId: '',
                    performerId: p.id,
                    description: `compensation reference on ${p.name}'s consent`,
                  },
                ],
              },
        ];
      });
    },
  },
  {
    id: 'estate-consent.deceased-performer',
    title: 'A deceased performer’s likeness needs the estate’s consent',
    source:
      'California AB 1836 (2024); New York Civil Rights Law § 50-f; SAG-AFTRA 2023 (deceased performers)',
    trigger: 'a deceased performer whose likeness the shot generates or alters, on the genai route',
    action: 'block',
    severity: 'critical',
    routes: ['genai'],
    evaluate: (input) => {
      const dead = affected(input).filter((p) => p.deceased);
      if (dead.length === 0) return undefined;
      return dead.map((p) => {
        const { covering } = matchingConsents(input.consents, {
          performer: p,
          show: input.shot.show,
          territories: input.shot.territories,
          now: input.now,
        });
        const byEstate = covering.filter((c) => c.grantedBy !== 'performer');
        return byEstate.length > 0
          ? {
              satisfied: true,
              reason: `${p.name}: consent ${byEstate.map((c) => c.id).join(', ')} given by the ${byEstate[0]!.grantedBy}`,
              consentIds: byEstate.map((c) => c.id),
            }
          : {
              satisfied: false,
              reason: `${p.name} is deceased and no consent from the estate or an authorised representative is on file`,
              missing: [
                {
                  kind: 'consent' as const,
                  ruleId: '',
                  performerId: p.id,
                  description: `consent of ${p.name}'s estate or authorised representative`,
                },
              ],
            };
      });
    },
  },
  {
    id: 'ca-ab-2602.representation',
    title: 'A replica clause is enforceable only if the performer was represented',
    source: 'California Labor Code § 927 (AB 2602, in force 1 January 2025)',
    trigger: 'a generated or altered likeness released in the US (or worldwide), on the genai route',
    action: 'block',
    severity: 'high',
    routes: ['genai'],
    evaluate: (input) => {
      const inUs = input.shot.territories.some((t) => t === 'WW' || t === 'US' || t.startsWith('US-'));
      const people = affected(input);
      if (!inUs || people.length === 0) return undefined;
      return people.flatMap((p) => {
        const { covering } = matchingConsents(input.consents, {
          performer: p,
          show: input.shot.show,
          territories: input.shot.territories,
          now: input.now,
        });
        if (covering.length === 0) return [];
        const represented = covering.filter((c) => c.represented);
        return [
          represented.length > 0
            ? {
                satisfied: true,
                reason: `${p.name} was represented when consenting (${represented.map((c) => c.id).join(', ')})`,
                consentIds: represented.map((c) => c.id),
              }
            : {
                satisfied: false,
                reason: `${p.name}'s consent does not record legal or union representation`,
                missing: [
                  {
                    kind: 'consent' as const,
                    ruleId: '',
                    performerId: p.id,
                    description: `a consent of ${p.name} given with legal or union representation`,
                  },
                ],
              },
        ];
      });
    },
  },
  {
    id: 'sag-aftra-2023.synthetic-performer-notice',
    title: 'Using a synthetic performer needs notice to the union',
    source:
      'SAG-AFTRA 2023 TV/Theatrical Agreement, synthetic performers (notice and opportunity to bargain)',
    trigger: 'a synthetic performer in the shot, on the genai route',
    action: 'notify-union',
    severity: 'high',
    routes: ['genai'],
    evaluate: (input) => {
      const synthetic = input.shot.performers.filter((p) => p.kind === 'synthetic');
      if (synthetic.length === 0) return undefined;
      const notices = approvalsOf(input.approvals, 'union-notice', input.shot.show, input.shotId);
      return notices.length > 0
        ? {
            satisfied: true,
            reason: `union notice ${notices.map((a) => a.id).join(', ')} on file`,
            approvalIds: notices.map((a) => a.id),
          }
        : {
            satisfied: false,
            reason: `synthetic performer ${synthetic.map((p) => p.name).join(', ')} and no union notice on file`,
            missing: [
              {
                kind: 'union-notice',
                ruleId: '',
                approvalKind: 'union-notice',
                description: 'a recorded notice to SAG-AFTRA of the synthetic performer',
              },
            ],
          };
    },
  },
];
