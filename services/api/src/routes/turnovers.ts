import { type ShotRequest, TurnoverReport } from '@shotcaller/contracts';
import type { ShotPartitions, ShotRecord } from '@shotcaller/shots';
import {
  importTurnover,
  readCutText,
  recordTurnover,
  TurnoverMapping,
  turnoverHistory,
} from '@shotcaller/turnovers';
import { type TicketClient, TicketClosed, TicketNotFound } from '@shotcaller/vendor-tickets';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { actorName, canSeeShow, type Principal } from '../auth';
import { Forbidden } from '../errors';
import { type RouteSpec, route } from '../route-spec';

const ImportBody = z.strictObject({
  /** The file's name: its extension (.edl, .xml, .otio) says the format. */
  file: z.string().min(1).max(255),
  /** The file's text. */
  content: z.string().min(1, 'the turnover file is empty'),
  mapping: TurnoverMapping,
  dryRun: z.boolean().default(false),
  partial: z.boolean().default(false),
});

const HistoryQuery = z.strictObject({
  show: z.string().min(1),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});

function assertShow(principal: Principal, show: string): void {
  if (!canSeeShow(principal, show)) throw new Forbidden(`This token may not act on show ${show}`);
}

async function allShots(store: ShotPartitions, show: string): Promise<ShotRecord[]> {
  const out: ShotRecord[] = [];
  for (let offset: number | undefined = 0; offset !== undefined; ) {
    const page: Awaited<ReturnType<ShotPartitions['list']>> = await store.list({
      show,
      visibleShows: '*',
      offset,
      limit: 500,
    });
    out.push(...page.shots);
    offset = page.nextOffset;
  }
  return out;
}

/** Editorial turnovers: import a cut (EDL, FCP XML, .otio) and read a show's turnover reports. */
export function turnoverRoutes(deps: {
  /** Every partition's shots; a show's turnovers are in its partition's log. */
  shots: ShotPartitions;
  source: string;
  /** Vendor tickets, so that a change to a shot a vendor works on is posted to its ticket. */
  tickets?: TicketClient;
}): RouteSpec[] {
  const { tickets, shots } = deps;
  const logOf = (show: string) => shots.storeOfShow(show).log;
  return [
    route({
      method: 'POST',
      url: '/v1/turnovers',
      summary:
        'Import an editorial turnover: new shots created, not-yet-started ones revised, changes and omissions reported (dryRun writes nothing)',
      tag: 'turnovers',
      permission: 'shots:submit',
      limit: 'expensive',
      body: ImportBody,
      responses: { 200: { description: 'The turnover report, one entry per shot', schema: TurnoverReport } },
      handler: async ({ principal, body }) => {
        assertShow(principal, body.mapping.show);
        const cut = await readCutText(body.file, body.content, {
          rate: body.mapping.rate,
          dropFrame: body.mapping.dropFrame,
        });
        const actor = { name: `turnover ${body.file} by ${actorName(principal)}`, source: deps.source };
        return importTurnover(
          cut,
          body.mapping,
          {
            turnoverId: `to-${uuidv7()}`,
            file: body.file,
            by: actorName(principal),
            dryRun: body.dryRun,
            partial: body.partial,
            now: new Date(),
          },
          {
            existing: (show) => allShots(shots, show),
            submit: async (request: ShotRequest) => {
              const { shot, created } = await shots.submit(request, actor);
              return { shotId: shot.id, created };
            },
            revise: (shotId, request) => shots.revise(shotId, request, actor),
            record: (report) => recordTurnover(logOf(body.mapping.show), report, deps.source),
            ...(tickets
              ? {
                  postToTicket: async (shot, note) => {
                    try {
                      await tickets.note(shot.request.show, shot.id, {
                        by: actorName(principal),
                        text: note,
                      });
                      return true;
                    } catch (error) {
                      // A closed ticket takes no notes: the change is reported to the TD instead.
                      if (error instanceof TicketClosed || error instanceof TicketNotFound) return false;
                      throw error;
                    }
                  },
                }
              : {}),
          },
        );
      },
    }),
    route({
      method: 'GET',
      url: '/v1/turnovers',
      summary: "A show's turnover reports, newest first: the history of its cut",
      tag: 'turnovers',
      permission: 'shots:read',
      query: HistoryQuery,
      responses: {
        200: {
          description: 'The reports',
          schema: z.object({ turnovers: z.array(TurnoverReport) }),
        },
      },
      handler: async ({ principal, query }) => {
        assertShow(principal, query.show);
        return { turnovers: (await turnoverHistory(logOf(query.show), query.show)).slice(0, query.limit) };
      },
    }),
  ];
}
