import type { PrecheckResult } from '@shotcaller/contracts';
import { describe, expect, it } from 'vitest';
import { alertForRevocation, alertsForHold } from '../src/alerts';

const shot = { id: 'sh-01J9Z6Q2', code: 'NTH/EP01/COL/COL_0070' };
const consentMissing: PrecheckResult['findings'][number] = {
  ruleId: 'sag-aftra-2023.digital-replica-consent',
  title: 'Digital replica or digital alteration needs the performer’s consent',
  source: 'SAG-AFTRA 2023 TV/Theatrical Agreement',
  action: 'block',
  severity: 'critical',
  satisfied: false,
  reason: 'no consent on file for p-ava',
  missing: [
    { kind: 'consent', ruleId: 'sag-aftra-2023.digital-replica-consent', description: 'consent of p-ava' },
  ],
};
const precheck = (findings: PrecheckResult['findings']): PrecheckResult => ({
  outcome: 'hold',
  findings,
  consentIds: [],
  approvalIds: [],
});

describe('compliance alerts', () => {
  it('name a held shot by its code, and keep its id to link to it', () => {
    const [alert] = alertsForHold(shot, precheck([consentMissing]), 'ev-0123456789abcdef');
    expect(alert).toMatchObject({
      alertId: 'alert-sag-aftra-2023.digital-replica-consent-sh-01J9Z6Q2-ev-012345678',
      message: 'Shot NTH/EP01/COL/COL_0070 is held: no consent on file for p-ava',
      shotId: 'sh-01J9Z6Q2',
      shotCode: 'NTH/EP01/COL/COL_0070',
    });
  });

  it('are raised only for the unmet rules that hold a shot', () => {
    const met = { ...consentMissing, satisfied: true };
    const recordOnly = { ...consentMissing, action: 'record' as const };
    expect(alertsForHold(shot, precheck([met, recordOnly]), 'ev-1')).toEqual([]);
  });

  it('name the shot by its code when a consent it relied on is revoked', () => {
    const alert = alertForRevocation(shot, 'consent-p-ava', 'the performer withdrew', true);
    expect(alert).toMatchObject({
      alertId: 'alert-consent-revoked-consent-p-ava-sh-01J9Z6Q2',
      shotCode: shot.code,
    });
    expect(alert.message).toBe(
      'Consent consent-p-ava was revoked (the performer withdrew); shot NTH/EP01/COL/COL_0070 relied on it and is held until a new consent is on file.',
    );
  });
});
