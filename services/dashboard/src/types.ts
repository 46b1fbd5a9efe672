/** The parts of the API's documents the dashboard shows (the API validates them; see docs/openapi.json). */
export interface Money {
  amountMinor: number;
  currency: string;
}
export interface RuleMatch {
  ruleId: string;
  outcome: string;
  reason: string;
}
export interface Estimate {
  cost: Money;
  turnaroundHours: number;
  basis?: string;
}
export interface Shot {
  id: string;
  show: string;
  state: string;
  route?: string;
  provider?: string;
  attempt: number;
  updatedAt: string;
  request: {
    show: string;
    episode?: string;
    sequence: string;
    shot: string;
    brief: string;
    category: string;
    deliverable: string;
    frames: { start: number; end: number };
  };
  decision?: {
    route: string;
    decidedBy: string;
    explanation: string;
    matchedRules: RuleMatch[];
    estimates: { genai: Estimate; vendor: Estimate };
    policyId: string;
  };
  precheck?: {
    outcome: string;
    findings: Array<{
      ruleId: string;
      title: string;
      satisfied: boolean;
      action: string;
      reason: string;
      source: string;
    }>;
  };
  history?: Array<{ id: string; type: string; time: string; data: Record<string, unknown> }>;
}
export interface Alert {
  alertId: string;
  ruleId: string;
  severity: string;
  title: string;
  source: string;
  message: string;
  shotId?: string;
  /** `NTH/EP01/COL/COL_0070`; absent from alerts raised before it was added. */
  shotCode?: string;
  show?: string;
  status: string;
  raisedAt: string;
  trail: Array<{ at: string; by: string; action: string; note: string }>;
}
/** A turnover's report (docs/turnovers.md): one entry per shot of the cut, and the shots it dropped. */
export interface TurnoverReport {
  turnoverId: string;
  show: string;
  file: string;
  cut: string;
  format: string;
  rate: number;
  dropFrame: boolean;
  handles: number;
  by: string;
  at: string;
  applied: boolean;
  entries: Array<{
    sequence: string;
    shot: string;
    clip?: string;
    event?: number;
    change: string;
    frames?: number;
    withinHandles?: boolean;
    frameRange?: { start: number; end: number };
    sourceIn?: string;
    sourceOut?: string;
    shotId?: string;
    state?: string;
    action: string;
    message?: string;
  }>;
}
