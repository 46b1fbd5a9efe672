import type { ApprovalKind } from '@shotcaller/contracts';
import { approvalsOf } from '../consent-match';
import type { PrecheckInput } from '../context';
import type { Outcome } from '../rule';

/** The outcome of a rule satisfied by an approval of `kind` on file for the shot or the show. */
export function needsApproval(input: PrecheckInput, kind: ApprovalKind, why: string, what: string): Outcome {
  const found = approvalsOf(input.approvals, kind, input.shot.show, input.shotId);
  if (found.length > 0) {
    return {
      satisfied: true,
      reason: `${why}; ${kind} approval ${found.map((a) => a.id).join(', ')} on file`,
      approvalIds: found.map((a) => a.id),
    };
  }
  const kindOfEvidence =
    kind === 'disclosure' ? 'disclosure' : kind === 'union-notice' ? 'union-notice' : 'approval';
  return {
    satisfied: false,
    reason: `${why}; no ${kind} approval on file`,
    missing: [{ kind: kindOfEvidence, ruleId: '', approvalKind: kind, description: what }],
  };
}
