import { EpisodeCode, SequenceCode, ShowCode } from '@shotcaller/contracts';
import type { RedisClient } from '@shotcaller/events';
import { LabourImpactReport, labourImpact, labourImpactCsv, readShowEvents } from '@shotcaller/reports';
import { z } from 'zod';
import { canSeeShow } from '../auth';
import { Forbidden } from '../errors';
import { type RouteSpec, route } from '../route-spec';

const Instant = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-11-01T00:00:00Z',
});

const LabourQuery = z
  .strictObject({
    show: ShowCode,
    episode: EpisodeCode.optional(),
    sequence: SequenceCode.optional(),
    /** Start of the period, inclusive. */
    from: Instant.optional(),
    /** End of the period, exclusive: the report is the state of things at that moment. */
    to: Instant.optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    path: ['to'],
    error: 'must be after from',
  });

/** Reports folded from the event log: rebuilt on every call, so they cannot drift from what happened. */
export function reportRoutes(deps: {
  redis: RedisClient;
  /** A show's events are in its partition. */
  keyspaceOfShow: (show: string) => string;
}): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/v1/reports/labour-impact',
      summary:
        'Labour impact of routing: shots routed to AI with the vendor estimate and artist-days they did not get, artist time still spent, returns to vendors (JSON, or CSV with format=csv)',
      tag: 'reports',
      permission: 'reports:labour',
      limit: 'expensive',
      query: LabourQuery,
      responses: {
        200: {
          description: 'The report (minor units; artist-days to hundredths)',
          schema: LabourImpactReport,
        },
      },
      handler: async ({ principal, query, reply }) => {
        if (!canSeeShow(principal, query.show))
          throw new Forbidden(`This token may not see show ${query.show}`);
        const { format, ...scope } = query;
        const report = labourImpact(
          await readShowEvents(deps.redis, deps.keyspaceOfShow(query.show), query.show),
          scope,
        );
        if (format === 'csv') {
          const name = [query.show, query.episode, query.sequence, 'labour-impact'].filter(Boolean).join('-');
          // Not the schema's document: sent as it is.
          return reply
            .header('content-type', 'text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${name}.csv"`)
            .send(labourImpactCsv(report));
        }
        return report;
      },
    }),
  ];
}
