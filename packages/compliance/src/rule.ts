import type { ComplianceAction, MissingEvidence, Route, RuleFinding, Severity } from '@shotcaller/contracts';
import type { PrecheckInput } from './context';

/** What a rule found about one shot; the catalogue adds the rule's id, title, source, action and severity. */
export interface Outcome {
  satisfied: boolean;
  reason: string;
  missing?: MissingEvidence[];
  /** Consents and approvals the satisfied rule relied on. */
  consentIds?: string[];
  approvalIds?: string[];
}

/** A rule of the catalogue: data that cites its source, and a small pure predicate. */
export interface Rule {
  id: string;
  title: string;
  /** The agreement or law, with its article or section, that a production's counsel can check. */
  source: string;
  /** When the rule applies, in words (for docs/compliance.md). */
  trigger: string;
  action: ComplianceAction;
  severity: Severity;
  /** Routes the rule looks at; most concern AI work only. */
  routes: readonly Route[];
  /** Undefined when the rule does not apply to this shot. */
  evaluate(input: PrecheckInput): Outcome | Outcome[] | undefined;
}

export type Finding = RuleFinding & { consentIds: string[]; approvalIds: string[] };
