import { z } from 'zod';
import { ShowCode, Territory } from './shot-request';

export const ComplianceAction = z.enum(['block', 'require-approval', 'notify-union', 'disclose', 'record']);
export type ComplianceAction = z.infer<typeof ComplianceAction>;

export const Severity = z.enum(['info', 'low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof Severity>;

/** The kinds of digital use the SAG-AFTRA 2023 TV/Theatrical agreement distinguishes. */
export const DigitalUse = z.enum([
  'employment-based-replica',
  'independently-created-replica',
  'digital-alteration',
  'synthetic-performer',
]);
export type DigitalUse = z.infer<typeof DigitalUse>;

const Timestamp = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' });

/** A performer's (or their estate's) consent to a described digital use. */
export const ConsentRecord = z.strictObject({
  id: z.string().min(1),
  performerId: z.string().min(1),
  performerName: z.string().min(1),
  grantedBy: z.enum(['performer', 'estate', 'authorised-representative', 'union']),
  uses: z.array(DigitalUse).min(1, 'must name at least one use'),
  /** The reasonably specific description of the intended use that the agreement and AB 2602 require. */
  intendedUse: z
    .string()
    .trim()
    .min(20, 'must describe the intended use specifically (20 characters or more)'),
  shows: z.array(ShowCode).min(1, 'must name at least one show'),
  territories: z.array(Territory).min(1, 'must name at least one territory'),
  validFrom: Timestamp,
  validUntil: Timestamp.optional(),
  compensationRef: z.string().min(1).optional(),
  /** The performer had legal or union representation when agreeing (AB 2602, NY GOL 5-302). */
  represented: z.boolean(),
  recordedBy: z.string().min(1),
  recordedAt: Timestamp,
});
export type ConsentRecord = z.infer<typeof ConsentRecord>;

export const ApprovalKind = z.enum([
  'final-deliverable',
  'likeness-change',
  'third-party-ip',
  'model-licence',
  'union-notice',
  'crew-consultation',
  'disclosure',
  'director-consultation',
]);
export type ApprovalKind = z.infer<typeof ApprovalKind>;

/** A written approval or a recorded notice, as a compliance officer enters it. */
export const ApprovalRecord = z.strictObject({
  id: z.string().min(1),
  kind: ApprovalKind,
  show: ShowCode,
  shotId: z.string().min(1).optional(),
  approvedBy: z.string().min(1),
  note: z.string().max(5000).default(''),
  recordedAt: Timestamp,
});
export type ApprovalRecord = z.infer<typeof ApprovalRecord>;

/** Something a rule needs on file that is not there. */
export const MissingEvidence = z.strictObject({
  kind: z.enum(['consent', 'approval', 'union-notice', 'disclosure', 'human-contribution']),
  ruleId: z.string(),
  performerId: z.string().optional(),
  approvalKind: ApprovalKind.optional(),
  description: z.string(),
});
export type MissingEvidence = z.infer<typeof MissingEvidence>;

export const RuleFinding = z.strictObject({
  ruleId: z.string(),
  title: z.string(),
  source: z.string(),
  action: ComplianceAction,
  severity: Severity,
  satisfied: z.boolean(),
  reason: z.string(),
  missing: z.array(MissingEvidence).default([]),
});
export type RuleFinding = z.infer<typeof RuleFinding>;

/** The compliance pre-check's answer before any AI work starts. */
export const PrecheckResult = z.strictObject({
  outcome: z.enum(['allow', 'hold']),
  findings: z.array(RuleFinding),
  /** Consents the allow relies on; revoking one re-checks the shot. */
  consentIds: z.array(z.string()),
  approvalIds: z.array(z.string()).default([]),
});
export type PrecheckResult = z.infer<typeof PrecheckResult>;

/** An alert as the compliance officer's inbox keeps it: the raised data plus where it is in its lifecycle. */
export const ComplianceAlert = z.object({
  alertId: z.string(),
  ruleId: z.string(),
  severity: Severity,
  title: z.string(),
  source: z.string(),
  message: z.string(),
  shotId: z.string().optional(),
  /** The shot as people name it (`NTH/EP01/COL/COL_0070`); absent from alerts raised before it was added. */
  shotCode: z.string().optional(),
  show: z.string().optional(),
  missing: z.array(MissingEvidence),
  status: z.enum(['raised', 'acknowledged', 'resolved', 'waived']),
  raisedAt: z.string(),
  trail: z.array(z.object({ at: z.string(), by: z.string(), action: z.string(), note: z.string() })),
});
export type ComplianceAlert = z.infer<typeof ComplianceAlert>;
