import { ComplianceAlert, type PrecheckResult } from '@shotcaller/contracts';

/** An alert as the compliance officer's inbox keeps it (the API sends it as it is). */
export const Alert = ComplianceAlert;
export type Alert = ComplianceAlert;

export type RaisedAlert = Omit<Alert, 'status' | 'raisedAt' | 'trail' | 'show'>;

const severityRank = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;

/** The shot an alert is about: its id, and its code, which is how people know it. */
export interface AlertShot {
  id: string;
  code: string;
}

/** One alert per unmet rule of a held shot; the id is the rule, the shot and the hold, so a replay raises nothing twice. */
export function alertsForHold(shot: AlertShot, precheck: PrecheckResult, holdEventId: string): RaisedAlert[] {
  return precheck.findings
    .filter((f) => !f.satisfied && f.action !== 'record')
    .map((f) => ({
      alertId: `alert-${f.ruleId}-${shot.id}-${holdEventId.slice(0, 12)}`,
      ruleId: f.ruleId,
      severity: f.severity,
      title: f.title,
      source: f.source,
      message: `Shot ${shot.code} is held: ${f.reason}`,
      shotId: shot.id,
      shotCode: shot.code,
      missing: f.missing,
    }));
}

/** The alert raised for a shot whose consent was revoked while its AI work was not yet approved. */
export function alertForRevocation(
  shot: AlertShot,
  consentId: string,
  reason: string,
  heldNow: boolean,
): RaisedAlert {
  return {
    alertId: `alert-consent-revoked-${consentId}-${shot.id}`,
    ruleId: 'sag-aftra-2023.digital-replica-consent',
    severity: 'critical',
    title: 'A consent an AI shot relied on was revoked',
    source: 'SAG-AFTRA 2023 TV/Theatrical Agreement, digital replica and digital alteration consent',
    message: `Consent ${consentId} was revoked (${reason}); shot ${shot.code} relied on it${heldNow ? ' and is held until a new consent is on file' : ' and is already final: review the delivered frames'}.`,
    shotId: shot.id,
    shotCode: shot.code,
    missing: [
      {
        kind: 'consent',
        ruleId: 'sag-aftra-2023.digital-replica-consent',
        description: `a new consent replacing ${consentId}`,
      },
    ],
  };
}

export function bySeverity(a: Alert, b: Alert): number {
  return severityRank[b.severity] - severityRank[a.severity] || a.raisedAt.localeCompare(b.raisedAt);
}
