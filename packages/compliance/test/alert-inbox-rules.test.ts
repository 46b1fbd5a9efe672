import { type Alert, AlertClosed, AlertInbox } from '@shotcaller/compliance';
import { makeEvent } from '@shotcaller/contracts';
import { describe, expect, it } from 'vitest';

const anAlert = (over: Partial<Alert> = {}): Alert => ({
  alertId: 'alert-1',
  ruleId: 'sag-aftra-2023.digital-replica-consent',
  severity: 'critical',
  title: 'Digital replica needs consent',
  source: 'SAG-AFTRA 2023 TV/Theatrical Agreement',
  message: 'no consent on file for p-ava',
  shotId: 'sh-1',
  missing: [],
  status: 'raised',
  raisedAt: '2026-10-01T09:00:00.000Z',
  trail: [{ at: '2026-10-01T09:00:00.000Z', by: 'shotcaller', action: 'raised', note: 'no consent' }],
  ...over,
});
const meta = { source: '/test', correlationId: 'sh-1', time: new Date('2026-10-02T10:00:00.000Z') };
const acknowledged = makeEvent(
  'io.shotcaller.compliance.alert.acknowledged.v1',
  { alertId: 'alert-1', by: 'carmen', note: 'asking the agent' },
  meta,
);
const resolved = (resolution: 'resolved' | 'waived') =>
  makeEvent(
    'io.shotcaller.compliance.alert.resolved.v1',
    { alertId: 'alert-1', by: 'carmen', resolution, reason: 'consent on file' },
    meta,
  );

describe('the alert inbox’s rules', () => {
  it('acknowledges a raised alert and records who did it', () => {
    const next = AlertInbox.next(anAlert(), acknowledged);
    expect(next.status).toBe('acknowledged');
    expect(next.trail.at(-1)).toEqual({
      at: '2026-10-02T10:00:00.000Z',
      by: 'carmen',
      action: 'acknowledged',
      note: 'asking the agent',
    });
  });

  it('closes an alert as resolved or waived, whichever the officer chose', () => {
    expect(AlertInbox.next(anAlert({ status: 'acknowledged' }), resolved('waived')).status).toBe('waived');
    expect(AlertInbox.next(anAlert(), resolved('resolved')).status).toBe('resolved');
  });

  it('does not reopen a closed alert when a late acknowledgement arrives, but keeps it in the trail', () => {
    const next = AlertInbox.next(anAlert({ status: 'resolved' }), acknowledged);
    expect(next.status).toBe('resolved');
    expect(next.trail).toHaveLength(2);
  });

  it('refuses to act on a resolved or waived alert, and lets an open one through', () => {
    for (const status of ['resolved', 'waived'] as const)
      expect(() => AlertInbox.assertOpen(anAlert({ status }))).toThrow(AlertClosed);
    for (const status of ['raised', 'acknowledged'] as const)
      expect(() => AlertInbox.assertOpen(anAlert({ status }))).not.toThrow();
  });
});
