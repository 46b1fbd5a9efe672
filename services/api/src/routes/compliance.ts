import {
  Alert,
  AlertInbox,
  applyRuleConfig,
  type CompliancePartitions,
  catalogue,
} from '@shotcaller/compliance';
import { ApprovalRecord, ConsentRecord, makeEvent, type ShotcallerEvent } from '@shotcaller/contracts';
import { eventSource } from '@shotcaller/events';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { actorName, canSeeShow, type Principal } from '../auth';
import { Forbidden } from '../errors';
import { type RouteSpec, route } from '../route-spec';

const AlertParams = z.strictObject({ id: z.string().min(1) });
const ConsentParams = z.strictObject({ id: z.string().min(1) });
const AlertsQuery = z.strictObject({ status: Alert.shape.status.optional(), show: z.string().optional() });
const AckBody = z.strictObject({ note: z.string().max(5000).default('') });
const ResolveBody = z.strictObject({
  resolution: z.enum(['resolved', 'waived']),
  reason: z.string().trim().min(3, 'must say why (3 characters or more)').max(5000),
});
const ConsentBody = ConsentRecord.omit({ recordedBy: true, recordedAt: true, id: true }).extend({
  id: z.string().min(1).optional(),
});
const ApprovalBody = ApprovalRecord.omit({ recordedAt: true, id: true }).extend({
  id: z.string().min(1).optional(),
});
const RevokeBody = z.strictObject({
  reason: z.string().trim().min(3, 'must say why (3 characters or more)'),
});
const AuditQuery = z.strictObject({
  show: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** Event types that make up the compliance audit trail. */
const audited = /^io\.shotcaller\.(compliance\.|consent\.|approval\.|shot\.(held|released|overridden)\.)/;

function mayActOn(principal: Principal, show: string | undefined): boolean {
  return show === undefined ? principal.shows === '*' : canSeeShow(principal, show);
}

/** The compliance officer's routes: alerts and their lifecycle, consents, approvals, the rules, the audit trail. */
export function complianceRoutes(deps: {
  /** Consents, approvals and alerts in every partition. */
  registry: CompliancePartitions;
  ruleConfig?: unknown;
}): RouteSpec[] {
  const { rules: effectiveRules } = applyRuleConfig(catalogue, deps.ruleConfig ?? {});
  const source = eventSource(deps.registry.partitions.deployment, 'api');
  const visibleAlert = async (principal: Principal, id: string) => {
    const { alert, k } = await deps.registry.alert(id);
    if (!mayActOn(principal, alert.show))
      throw new Forbidden(`This token may not see alerts of show ${alert.show ?? '(none)'}`);
    return { alert, k };
  };
  return [
    route({
      method: 'GET',
      url: '/v1/compliance/alerts',
      summary: 'Compliance alerts, open first, by severity',
      tag: 'compliance',
      permission: 'compliance:read',
      query: AlertsQuery,
      responses: { 200: { description: 'Alerts', schema: z.object({ alerts: z.array(Alert) }) } },
      handler: async ({ principal, query }) => ({
        alerts: (await deps.registry.listAlerts(query)).filter((a) => mayActOn(principal, a.show)),
      }),
    }),
    route({
      method: 'POST',
      url: '/v1/compliance/alerts/:id/ack',
      summary: 'Acknowledge an alert (audited)',
      tag: 'compliance',
      permission: 'compliance:write',
      params: AlertParams,
      body: AckBody,
      responses: { 200: { description: 'The alert', schema: Alert } },
      handler: async ({ principal, params, body }) => {
        const { alert, k } = await visibleAlert(principal, params.id);
        AlertInbox.assertOpen(alert);
        return deps.registry.recordAlertEvent(
          k,
          makeEvent(
            'io.shotcaller.compliance.alert.acknowledged.v1',
            { alertId: alert.alertId, by: actorName(principal), note: body.note },
            {
              source,
              correlationId: alert.shotId ?? alert.alertId,
              ...(alert.show ? { show: alert.show } : {}),
            },
          ),
        );
      },
    }),
    route({
      method: 'POST',
      url: '/v1/compliance/alerts/:id/resolve',
      summary: 'Resolve or waive an alert, with a reason (audited)',
      tag: 'compliance',
      permission: 'compliance:write',
      params: AlertParams,
      body: ResolveBody,
      responses: { 200: { description: 'The alert', schema: Alert } },
      handler: async ({ principal, params, body }) => {
        const { alert, k } = await visibleAlert(principal, params.id);
        AlertInbox.assertOpen(alert);
        return deps.registry.recordAlertEvent(
          k,
          makeEvent(
            'io.shotcaller.compliance.alert.resolved.v1',
            {
              alertId: alert.alertId,
              by: actorName(principal),
              resolution: body.resolution,
              reason: body.reason,
            },
            {
              source,
              correlationId: alert.shotId ?? alert.alertId,
              ...(alert.show ? { show: alert.show } : {}),
            },
          ),
        );
      },
    }),
    route({
      method: 'POST',
      url: '/v1/consents',
      summary: 'Record a performer consent; shots held for it are released automatically',
      tag: 'compliance',
      permission: 'compliance:write',
      body: ConsentBody,
      responses: { 201: { description: 'The consent as recorded', schema: ConsentRecord } },
      handler: async ({ principal, body, reply }) => {
        for (const show of body.shows)
          if (!canSeeShow(principal, show)) throw new Forbidden(`This token may not act on show ${show}`);
        const consent = await deps.registry.recordConsent({
          ...body,
          id: body.id ?? `consent-${uuidv7()}`,
          recordedBy: actorName(principal),
          recordedAt: new Date().toISOString(),
        });
        reply.code(201);
        return consent;
      },
    }),
    route({
      method: 'GET',
      url: '/v1/consents',
      summary: 'Consents on file, revoked ones marked',
      tag: 'compliance',
      permission: 'compliance:read',
      responses: { 200: { description: 'Consents' } },
      handler: async ({ principal }) => ({
        consents: (await deps.registry.listConsents()).filter((c) =>
          c.shows.some((s) => canSeeShow(principal, s)),
        ),
      }),
    }),
    route({
      method: 'DELETE',
      url: '/v1/consents/:id',
      summary: 'Revoke a consent: every shot that relied on it and is not final is held, with an alert',
      tag: 'compliance',
      permission: 'compliance:write',
      params: ConsentParams,
      body: RevokeBody,
      responses: { 200: { description: 'The revoked consent and the shots that relied on it' } },
      handler: async ({ principal, params, body }) => {
        const consent = await deps.registry.getConsent(params.id);
        if (consent && !consent.shows.some((s) => canSeeShow(principal, s)))
          throw new Forbidden(`This token may not act on consent ${params.id}`);
        const { consent: revoked, shotIds } = await deps.registry.revokeConsent(params.id, {
          by: actorName(principal),
          reason: body.reason,
          now: new Date(),
        });
        return { consent: revoked, shotsRelyingOnIt: shotIds };
      },
    }),
    route({
      method: 'POST',
      url: '/v1/approvals',
      summary: 'Record a written approval or a union notice; shots held for it are released automatically',
      tag: 'compliance',
      permission: 'compliance:write',
      body: ApprovalBody,
      responses: { 201: { description: 'The approval as recorded', schema: ApprovalRecord } },
      handler: async ({ principal, body, reply }) => {
        if (!canSeeShow(principal, body.show))
          throw new Forbidden(`This token may not act on show ${body.show}`);
        const approval = await deps.registry.recordApproval({
          ...body,
          id: body.id ?? `approval-${uuidv7()}`,
          recordedAt: new Date().toISOString(),
        });
        reply.code(201);
        return approval;
      },
    }),
    route({
      method: 'GET',
      url: '/v1/approvals',
      summary: 'Written approvals and union notices on file, newest first',
      tag: 'compliance',
      permission: 'compliance:read',
      responses: {
        200: { description: 'Approvals', schema: z.object({ approvals: z.array(ApprovalRecord) }) },
      },
      handler: async ({ principal }) => ({
        approvals: (await deps.registry.listApprovals()).filter((a) => canSeeShow(principal, a.show)),
      }),
    }),
    route({
      method: 'GET',
      url: '/v1/compliance/rules',
      summary:
        'The rules in force (the catalogue after this production’s configuration): id, title, source, trigger, action, severity',
      tag: 'compliance',
      permission: 'compliance:read',
      responses: { 200: { description: 'Rules' } },
      handler: async () => ({
        rules: effectiveRules.map(({ id, title, source, trigger, action, severity, routes }) => ({
          id,
          title,
          source,
          trigger,
          action,
          severity,
          routes,
        })),
      }),
    }),
    route({
      method: 'GET',
      url: '/v1/audit',
      summary:
        'The audit trail: holds, releases, overrides, consents, approvals and alert actions, newest first',
      tag: 'compliance',
      permission: 'compliance:read',
      query: AuditQuery,
      responses: { 200: { description: 'Events' } },
      handler: async ({ principal, query }) => {
        const entries: ShotcallerEvent[] = [];
        for await (const event of deps.registry.replayAll()) {
          if (!audited.test(event.type)) continue;
          if (query.show && event.show !== query.show) continue;
          if (principal.shows !== '*' && (!event.show || !canSeeShow(principal, event.show))) continue;
          entries.push(event);
        }
        entries.reverse();
        // Each partition's log is in order; across partitions, order by the events' time.
        if (deps.registry.partitions.count > 1) entries.sort((x, y) => y.time.localeCompare(x.time));
        return { events: entries.slice(0, query.limit) };
      },
    }),
  ];
}
