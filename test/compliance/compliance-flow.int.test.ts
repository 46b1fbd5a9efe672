import { shotCodeOf } from '@shotcaller/contracts';
import { createQueue, genaiQueueName } from '@shotcaller/shots';
import { aPerformer, aShotRequest, eventually } from '@shotcaller/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runShotcaller, tokens } from '../support/shotcaller';

let app: Awaited<ReturnType<typeof runShotcaller>>;
beforeAll(async () => {
  app = await runShotcaller(['api', 'router', 'genai-worker', 'compliance'], {
    genai: { previewScale: 0.0625 },
    events: { blockMs: 100 },
  });
});
afterAll(() => app?.running.stop());

const likenessShot = (performerId: string) =>
  aShotRequest({
    category: 'face-likeness',
    deliverable: 'temp',
    requestedRoute: 'genai',
    frames: { start: 1, end: 6 },
    performers: [aPerformer({ id: performerId, name: `Performer ${performerId}`, likeness: 'altered' })],
  });

const consentFor = (performerId: string) => ({
  id: `consent-${performerId}`,
  performerId,
  performerName: `Performer ${performerId}`,
  grantedBy: 'performer',
  uses: ['digital-alteration'],
  intendedUse: 'De-ageing in the flashback scenes of episode 1, sequence COL, only.',
  shows: ['NTH'],
  territories: ['WW'],
  validFrom: '2026-01-01T00:00:00Z',
  compensationRef: 'PAY-1',
  represented: true,
});

const AlertList = z.object({
  alerts: z.array(
    z
      .object({
        alertId: z.string(),
        shotId: z.string().optional(),
        status: z.string(),
        ruleId: z.string(),
        trail: z.array(z.object({ action: z.string(), by: z.string() })),
      })
      .loose(),
  ),
});

describe('consent, holds and alerts', () => {
  it('holds a likeness shot without consent, keeps it off the genai queue, alerts, and releases it when the consent is recorded', async () => {
    const { shot } = await app.client().submitShot(likenessShot('p-hold'));
    await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.state === 'held',
      'the shot held',
      20_000,
    );
    const genai = createQueue(genaiQueueName('local'), app.running.redis, app.deployment);
    expect((await genai.getJobs()).map((j) => j.data.shotId)).not.toContain(shot.id);
    await genai.close();

    const alerts = await eventually(
      async () =>
        (
          await app.client(tokens.compliance).request('GET', '/v1/compliance/alerts?status=raised', AlertList)
        ).data.alerts.filter((a) => a.shotId === shot.id),
      (a) => a.length > 0,
      'a hold alert',
    );
    expect(alerts[0]!.ruleId).toBe('sag-aftra-2023.digital-replica-consent');
    // Named as people know the shot, not by its internal id.
    const code = shotCodeOf(shot.request);
    expect(alerts[0]).toMatchObject({
      shotCode: code,
      message: expect.stringContaining(`Shot ${code} is held`),
    });
    expect(alerts[0]!.message).not.toContain(shot.id);

    const consent = await app
      .client(tokens.compliance)
      .request('POST', '/v1/consents', z.object({ id: z.string() }).loose(), consentFor('p-hold'));
    expect(consent.status).toBe(201);
    const delivered = await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.state === 'delivered',
      'released, routed and delivered without resubmission',
      30_000,
    );
    const types = delivered.history!.map((e) => e.type.replace('io.shotcaller.', ''));
    expect(types).toContain('shot.released.v1');
    expect(delivered.precheck).toMatchObject({ outcome: 'allow', consentIds: ['consent-p-hold'] });
  });

  it('holds a not-yet-final shot again when its consent is revoked, and raises an alert', async () => {
    await app
      .client(tokens.compliance)
      .request('POST', '/v1/consents', z.object({ id: z.string() }).loose(), consentFor('p-revoke'));
    const { shot } = await app.client().submitShot(likenessShot('p-revoke'));
    await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.state === 'delivered',
      'delivered on consent',
      30_000,
    );
    const revoked = await app
      .client(tokens.compliance)
      .request(
        'DELETE',
        '/v1/consents/consent-p-revoke',
        z.object({ shotsRelyingOnIt: z.array(z.string()) }).loose(),
        { reason: 'the performer withdrew consent' },
      );
    expect(revoked.data.shotsRelyingOnIt).toContain(shot.id);
    const held = await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.state === 'held',
      'held again',
      20_000,
    );
    expect(held.precheck!.findings[0]!.reason).toMatch(/consent consent-p-revoke was revoked/);
    const alert = await eventually(
      async () =>
        (
          await app.client(tokens.compliance).request('GET', '/v1/compliance/alerts', AlertList)
        ).data.alerts.find((a) => a.alertId === `alert-consent-revoked-consent-p-revoke-${shot.id}`),
      (a) => a !== undefined,
      'the revocation alert',
    );
    expect(alert!.status).toBe('raised');
    expect(alert).toMatchObject({
      shotCode: shotCodeOf(shot.request),
      message: expect.stringContaining(`shot ${shotCodeOf(shot.request)} relied on it`),
    });
  });

  it('lets a compliance officer acknowledge and resolve an alert, and the audit trail shows it', async () => {
    const { data } = await app
      .client(tokens.compliance)
      .request('GET', '/v1/compliance/alerts?status=raised', AlertList);
    const id = data.alerts[0]!.alertId;
    const Alert = AlertList.shape.alerts.element;
    const acked = await app
      .client(tokens.compliance)
      .request('POST', `/v1/compliance/alerts/${id}/ack`, Alert, { note: 'looking into it' });
    expect(acked.data.status).toBe('acknowledged');
    const resolved = await app
      .client(tokens.compliance)
      .request('POST', `/v1/compliance/alerts/${id}/resolve`, Alert, {
        resolution: 'waived',
        reason: 'the shot is cut from the episode',
      });
    expect(resolved.data.status).toBe('waived');
    expect(resolved.data.trail.map((t) => t.action)).toEqual(['raised', 'acknowledged', 'waived']);
    await expect(
      app.client(tokens.compliance).request('POST', `/v1/compliance/alerts/${id}/ack`, Alert, {}),
    ).rejects.toThrow(/already waived/);
    const audit = await app.client(tokens.compliance).request(
      'GET',
      '/v1/audit',
      z.object({
        events: z.array(z.object({ type: z.string(), data: z.record(z.string(), z.unknown()) }).loose()),
      }),
    );
    const mine = audit.data.events.filter((e) => e.data.alertId === id).map((e) => e.type);
    expect(mine).toEqual([
      'io.shotcaller.compliance.alert.resolved.v1',
      'io.shotcaller.compliance.alert.acknowledged.v1',
      'io.shotcaller.compliance.alert.raised.v1',
    ]);
  });

  it('keeps the compliance routes from other roles', async () => {
    await expect(app.client(tokens.td).request('GET', '/v1/compliance/alerts', AlertList)).rejects.toThrow(
      /td role may not/,
    );
    await expect(
      app.client(tokens.accountant).request('POST', '/v1/consents', z.unknown(), consentFor('x')),
    ).rejects.toThrow(/accountant role may not/);
  });
});

describe('a production’s rule configuration', () => {
  it('applies tightened rules and records the change in the audit trail', async () => {
    const tightened = await runShotcaller(['api', 'router', 'compliance'], {
      compliance: {
        rules: {
          'usco-part2.human-contribution': {
            action: 'require-approval',
            reason: 'counsel wants sign-off on AI finals',
          },
        },
      },
    });
    try {
      const { shot } = await tightened.client().submitShot(
        aShotRequest({
          category: 'environment',
          deliverable: 'final',
          requestedRoute: 'genai',
          territories: ['US'],
        }),
      );
      const held = await eventually(
        () => tightened.client().getShot(shot.id),
        (s) => s.state === 'held',
        'held by the tightened rule',
        20_000,
      );
      expect(held.precheck!.findings.find((f) => f.ruleId === 'usco-part2.human-contribution')).toMatchObject(
        { action: 'require-approval', satisfied: false },
      );
      const rules = await tightened
        .client(tokens.compliance)
        .request(
          'GET',
          '/v1/compliance/rules',
          z.object({ rules: z.array(z.object({ id: z.string(), action: z.string() }).loose()) }),
        );
      expect(rules.data.rules.find((r) => r.id === 'usco-part2.human-contribution')!.action).toBe(
        'require-approval',
      );
      const audit = await tightened
        .client(tokens.compliance)
        .request(
          'GET',
          '/v1/audit',
          z.object({ events: z.array(z.object({ type: z.string(), data: z.unknown() }).loose()) }),
        );
      expect(
        audit.data.events.find((e) => e.type === 'io.shotcaller.compliance.rules.configured.v1')?.data,
      ).toMatchObject({
        changes: [
          {
            ruleId: 'usco-part2.human-contribution',
            field: 'action',
            before: 'record',
            after: 'require-approval',
          },
        ],
      });
    } finally {
      await tightened.running.stop();
    }
  });
});
