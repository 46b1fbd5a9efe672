import type { Rule } from '../rule';
import { needsApproval } from './approvals';

export const modelRules: Rule[] = [
  {
    id: 'streamer-guidance.no-training-on-inputs',
    title: 'Production inputs and outputs must not be used to train the provider’s models',
    source:
      'Major streamer guidance to production partners on generative AI (2025): tools must not store, reuse or train on production data',
    trigger: 'a genai provider whose terms allow training on inputs',
    action: 'block',
    severity: 'critical',
    routes: ['genai'],
    evaluate: (input) =>
      input.provider?.trainsOnInputs
        ? {
            satisfied: false,
            reason: `provider ${input.provider.name} may train on production inputs`,
            missing: [
              {
                kind: 'approval',
                ruleId: '',
                approvalKind: 'model-licence',
                description: `a provider whose terms exclude training on inputs (not ${input.provider.name})`,
              },
            ],
          }
        : undefined,
  },
  {
    id: 'model-provenance.training-data-licence',
    title: 'A model whose training data licence is unknown needs legal approval',
    source:
      'Major streamer guidance to production partners on generative AI (2025): outputs must not recreate unowned material',
    trigger: 'a genai provider whose training-data licence is unknown',
    action: 'require-approval',
    severity: 'high',
    routes: ['genai'],
    evaluate: (input) =>
      input.provider && input.provider.trainingDataLicence === 'unknown'
        ? needsApproval(
            input,
            'model-licence',
            `provider ${input.provider.name}'s training data licence is unknown`,
            `legal approval of ${input.provider.name}'s model for this show`,
          )
        : undefined,
  },
];
