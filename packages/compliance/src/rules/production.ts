import type { Rule } from '../rule';
import { needsApproval } from './approvals';

const realSeeming = new Set([
  'environment',
  'set-extension',
  'matte-painting',
  'destruction',
  'crowd',
  'digi-double',
  'face-likeness',
]);
const inEu = (territories: readonly string[]) => territories.some((t) => t === 'EU' || t === 'WW');

export const productionRules: Rule[] = [
  {
    id: 'streamer-guidance.final-deliverable-approval',
    title: 'Generative AI in a final deliverable needs written approval',
    source:
      'Major streamer guidance to production partners on generative AI (2025): generated material is temporary unless approved',
    trigger: 'deliverable kind final on the genai route',
    action: 'require-approval',
    severity: 'high',
    routes: ['genai'],
    evaluate: (input) =>
      input.shot.deliverable !== 'final'
        ? undefined
        : needsApproval(
            input,
            'final-deliverable',
            'AI output would be part of a final deliverable',
            'written approval to use AI output in the final deliverable',
          ),
  },
  {
    id: 'streamer-guidance.third-party-ip',
    title: 'Reference assets with third-party or unknown rights need approval',
    source:
      'Major streamer guidance to production partners on generative AI (2025): third-party IP and brands',
    trigger: 'a reference asset whose rights are third-party or unknown, on the genai route',
    action: 'require-approval',
    severity: 'medium',
    routes: ['genai'],
    evaluate: (input) => {
      const risky = input.shot.referenceAssets.filter(
        (a) => a.rights === 'third-party' || a.rights === 'unknown',
      );
      return risky.length === 0
        ? undefined
        : needsApproval(
            input,
            'third-party-ip',
            `reference ${risky.map((a) => `${a.uri} (${a.rights})`).join(', ')} given to the AI`,
            'approval to give third-party material to the AI provider',
          );
    },
  },
  {
    id: 'eu-ai-act-art50.disclosure',
    title:
      'AI-generated footage of real-seeming people, places or events released in the EU is disclosed and marked',
    source: 'EU AI Act (Regulation 2024/1689), Article 50 (applies from 2 August 2026)',
    trigger:
      'final deliverable on the genai route, released in the EU or worldwide, showing people or real-seeming places or events',
    action: 'disclose',
    severity: 'medium',
    routes: ['genai'],
    evaluate: (input) => {
      const { shot } = input;
      if (shot.deliverable !== 'final' || !inEu(shot.territories)) return undefined;
      if (shot.performers.length === 0 && !realSeeming.has(shot.category)) return undefined;
      return needsApproval(
        input,
        'disclosure',
        'AI-made final footage released in the EU',
        'a disclosure label in the credits (the signed Content Credentials in every AI frame give the machine-readable marking, Article 50(2))',
      );
    },
  },
  {
    id: 'usco-part2.human-contribution',
    title: 'Record the human contribution to AI-made final frames',
    source:
      'US Copyright Office, Copyright and Artificial Intelligence, Part 2: Copyrightability (January 2025)',
    trigger: 'final deliverable on the genai route',
    action: 'record',
    severity: 'info',
    routes: ['genai'],
    evaluate: (input) =>
      input.shot.deliverable !== 'final'
        ? undefined
        : {
            satisfied: false,
            reason:
              'the human direction and changes to AI-made final frames should be recorded for copyright',
            missing: [
              {
                kind: 'human-contribution',
                ruleId: '',
                description: 'who directed the AI output and what was changed by hand',
              },
            ],
          },
  },
  {
    id: 'wga-2023.ai-material-disclosure',
    title: 'AI-generated material given to writers is disclosed, and is not literary material',
    source: 'WGA 2023 Minimum Basic Agreement, Article on Generative Artificial Intelligence',
    trigger: 'a brief written with AI (ai-assisted or ai-generated), on either route',
    action: 'disclose',
    severity: 'low',
    routes: ['genai', 'vendor'],
    evaluate: (input) =>
      input.shot.briefProvenance === 'human'
        ? undefined
        : needsApproval(
            input,
            'disclosure',
            `the brief is ${input.shot.briefProvenance}`,
            'disclosure that the brief was written with AI',
          ),
  },
  {
    id: 'iatse-2024.displacement-consultation',
    title: 'Work bid or awarded to union crew and moved to AI needs notice and consultation',
    source:
      'IATSE 2024 Basic Agreement (ratified July 2024), as its published summary reports: AI provisions on displacement and consultation',
    trigger: 'a shot previously bid or awarded to a vendor with union crew, now on the genai route',
    action: 'notify-union',
    severity: 'high',
    routes: ['genai'],
    evaluate: (input) => {
      if (!input.history.previouslyBidOrAwardedToUnionVendor) return undefined;
      const notice = needsApproval(
        input,
        'union-notice',
        'the shot was bid or awarded to a union vendor',
        'notice to IATSE of work moved to AI',
      );
      const consult = needsApproval(
        input,
        'crew-consultation',
        'the shot was bid or awarded to a union vendor',
        'a consultation with the affected crew',
      );
      return [notice, consult];
    },
  },
];
