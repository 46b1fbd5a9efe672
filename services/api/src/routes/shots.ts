import {
  ArtistTimeRequest,
  CancelRequest,
  type FieldIssue,
  ListShotsQuery,
  makeEvent,
  OverrideRequest,
  RejectRequest,
  ReviewRequest,
  repeatedShotCodes,
  Shot,
  ShotListResponse,
  ShotRequest,
  ShotView,
  SubmitBatchRequest,
  SubmitBatchResponse,
  shotCodeOf,
  toFieldIssues,
  ValidationFailed,
} from '@shotcaller/contracts';
import {
  type Actor,
  IdempotencyConflict,
  ShotCodeTaken,
  ShotNotFound,
  type ShotPartitions,
  type ShotRecord,
} from '@shotcaller/shots';
import { z } from 'zod';
import { actorName, canSeeShow, type Principal } from '../auth';
import { BatchTooLarge, Forbidden } from '../errors';
import { type RouteSpec, route } from '../route-spec';

const ShotParams = z.strictObject({ id: z.string().min(1).max(200) });

export interface ShotRoutesDeps {
  /** Reads, through the partition a shot id or show names. */
  store: ShotPartitions;
  /** Changes, in the shot's partition. */
  commands: ShotPartitions;
  maxBatch: number;
  source: string;
}

function actorOf(principal: Principal, source: string): Actor {
  return { name: actorName(principal), source };
}

function assertMayUseShow(principal: Principal, show: string): void {
  if (!canSeeShow(principal, show)) throw new Forbidden(`This token may not act on show ${show}`);
}

export function shotRoutes({ store, commands, maxBatch, source }: ShotRoutesDeps): RouteSpec[] {
  // A shot of a show the caller may not see does not exist for them.
  const visibleShot = async (principal: Principal, id: string) => {
    const shot = await store.require(id);
    if (!canSeeShow(principal, shot.show)) throw new ShotNotFound(id);
    return shot;
  };

  /** A steering route: a POST on a shot the caller may see, running a command, answering the shot as it now is. */
  const steer = <B>(s: {
    action: string;
    summary: string;
    /** `shots:steer` unless said otherwise. */
    permission?: 'shots:submit';
    body?: z.ZodType<B>;
    answer: string;
    run(id: string, body: B, actor: Actor): Promise<ShotRecord>;
  }): RouteSpec =>
    route({
      method: 'POST',
      url: `/v1/shots/:id/${s.action}`,
      summary: s.summary,
      tag: 'shots',
      permission: s.permission ?? 'shots:steer',
      params: ShotParams,
      body: s.body,
      responses: { 200: { description: s.answer, schema: Shot } },
      handler: async ({ principal, params, body }) => {
        await visibleShot(principal, params.id);
        return s.run(params.id, body, actorOf(principal, source));
      },
    });

  return [
    route({
      method: 'POST',
      url: '/v1/shots',
      summary:
        'Submit one shot (idempotent on its idempotencyKey); 409 shot_code_taken while another live shot has its code',
      tag: 'shots',
      permission: 'shots:submit',
      body: ShotRequest,
      responses: {
        201: { description: 'Created', schema: Shot },
        200: { description: 'The shot this idempotency key already created', schema: Shot },
      },
      handler: async ({ principal, body, reply }) => {
        assertMayUseShow(principal, body.show);
        const { shot, created } = await commands.submit(body, actorOf(principal, source));
        reply.code(created ? 201 : 200).header('location', `/v1/shots/${shot.id}`);
        return shot;
      },
    }),
    route({
      method: 'POST',
      url: '/v1/shots::batch',
      summary:
        'Submit a sequence of shots; an invalid one stops the batch unless partial; a refused one (its code live) is reported and the rest go in',
      tag: 'shots',
      permission: 'shots:submit',
      body: SubmitBatchRequest,
      responses: {
        200: { description: 'What happened to each shot, by index', schema: SubmitBatchResponse },
      },
      handler: async ({ principal, body }) => {
        if (body.shots.length > maxBatch) throw new BatchTooLarge(body.shots.length, maxBatch);
        const parsed = body.shots.map((input, index) => {
          const result = ShotRequest.safeParse(input);
          if (!result.success) return { index, errors: toFieldIssues(result.error, ['shots', index]) };
          if (!canSeeShow(principal, result.data.show)) {
            return {
              index,
              errors: [
                {
                  path: `shots[${index}].show`,
                  message: `this token may not submit shots for ${result.data.show}`,
                },
              ],
            };
          }
          return { index, request: result.data };
        });
        markRepeatedKeys(parsed);
        markRepeatedCodes(parsed);
        const invalid = parsed.flatMap((p) => p.errors ?? []);
        if (invalid.length > 0 && !body.partial)
          throw new ValidationFailed('batch (nothing was submitted)', invalid);
        const results: SubmitBatchResponse['results'] = [];
        for (const p of parsed) {
          if (!p.request || p.errors) {
            results.push({ index: p.index, status: 'invalid', errors: p.errors ?? [] });
            continue;
          }
          try {
            const { shot, created } = await commands.submit(p.request, actorOf(principal, source));
            results.push({ index: p.index, status: created ? 'created' : 'existing', shotId: shot.id });
          } catch (error) {
            // Refused as a single submission would be, with a 409; the other shots still go in.
            const conflict = conflictOf(error, p.index);
            if (!conflict) throw error;
            results.push(conflict);
          }
        }
        return { results };
      },
    }),
    route({
      method: 'GET',
      url: '/v1/shots',
      summary: 'List shots, newest first, filtered by show, state and route',
      tag: 'shots',
      permission: 'shots:read',
      query: ListShotsQuery,
      responses: { 200: { description: 'A page of shots', schema: ShotListResponse } },
      handler: async ({ principal, query }) => {
        if (query.show) assertMayUseShow(principal, query.show);
        const page = await store.list({
          ...(query.show ? { show: query.show } : {}),
          ...(query.state ? { state: query.state } : {}),
          ...(query.route ? { route: query.route } : {}),
          visibleShows: principal.shows,
          limit: query.limit,
          ...(query.cursor === undefined ? {} : { offset: query.cursor }),
        });
        return {
          shots: page.shots,
          ...(page.nextOffset === undefined ? {} : { nextCursor: page.nextOffset }),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/v1/shots/:id',
      summary: 'A shot: state, route, the decision with its reasons, and its event history',
      tag: 'shots',
      permission: 'shots:read',
      params: ShotParams,
      responses: { 200: { description: 'The shot', schema: ShotView } },
      handler: async ({ principal, params }) => {
        const shot = await visibleShot(principal, params.id);
        const [history, progress] = await Promise.all([
          store.history(shot.id),
          shot.state === 'in-progress' ? store.progress(shot.id) : undefined,
        ]);
        // Progress of an earlier attempt's task says nothing about the one running now.
        const current =
          progress?.type === 'io.shotcaller.genai.task.progress.v1' &&
          progress.data.taskId === shot.workJobId;
        return { ...shot, history: history.map((h) => h.event), ...(current ? { progress } : {}) };
      },
    }),
    // The TD's steering: one route shape, a command apiece.
    steer({
      action: 'revise',
      summary:
        'Replace the request of a shot whose work has not started (submitted, held, queued); its show and budget line stay, and a new shot code must not be live',
      permission: 'shots:submit',
      body: ShotRequest,
      answer: 'The revised shot (routed again if it was held or queued)',
      run: async (id, body, actor) => (await commands.revise(id, body, actor)).shot,
    }),
    steer({
      action: 'override',
      summary: 'Force a route, with a reason (audited); a compliance hold cannot be forced onto genai',
      body: OverrideRequest,
      answer: 'The shot, rerouted',
      run: (id, body, actor) => commands.override(id, body.route, body.reason, actor),
    }),
    steer({
      action: 'cancel',
      summary: 'Cancel a shot that is not final',
      body: CancelRequest,
      answer: 'The cancelled shot',
      run: (id, body, actor) => commands.cancel(id, body.reason, actor),
    }),
    steer({
      action: 'retry',
      summary: 'Route a failed or rejected shot again, as a new attempt',
      answer: 'The shot, resubmitted',
      run: (id, _body, actor) => commands.retry(id, actor),
    }),
    steer({
      action: 'approve',
      summary: 'Approve delivered work',
      body: ReviewRequest,
      answer: 'The approved shot',
      run: (id, body, actor) => commands.approve(id, body.note, actor),
    }),
    steer({
      action: 'reject',
      summary: 'Reject delivered work; rejected AI work is rerouted to a vendor',
      body: RejectRequest,
      answer: 'The shot after rejection',
      run: (id, body, actor) => commands.reject(id, body.note, actor),
    }),
    route({
      method: 'POST',
      url: '/v1/shots/:id/artist-time',
      summary:
        'Record artist hours actually spent on a shot’s AI work (adds to what is recorded; the labour report sets it beside the estimate)',
      tag: 'shots',
      permission: 'shots:steer',
      params: ShotParams,
      body: ArtistTimeRequest,
      responses: { 201: { description: 'The record, as the event log keeps it' } },
      handler: async ({ principal, params, body, reply }) => {
        const shot = await visibleShot(principal, params.id);
        const event = makeEvent(
          'io.shotcaller.genai.artist-time.recorded.v1',
          { shotId: shot.id, hours: body.hours, by: actorName(principal), note: body.note },
          {
            source,
            correlationId: shot.id,
            subject: shot.id,
            show: shot.show,
            ...(body.recordId ? { id: `artist-time-${shot.id}-${body.recordId}` } : {}),
          },
        );
        // Into the log of the partition the shot is in.
        const { appended } = await store.storeOfShow(shot.show).log.append(event);
        reply.code(appended ? 201 : 200);
        return { eventId: event.id, recorded: appended, ...event.data };
      },
    }),
  ];
}

/** A row of a batch refused because of what is already there; undefined for any other error. */
function conflictOf(error: unknown, index: number): SubmitBatchResponse['results'][number] | undefined {
  if (!(error instanceof ShotCodeTaken || error instanceof IdempotencyConflict)) return undefined;
  const field = error instanceof ShotCodeTaken ? 'shot' : 'idempotencyKey';
  return {
    index,
    status: 'conflict',
    code: error.code,
    shotId: error.shotId,
    errors: [{ path: `shots[${index}].${field}`, message: error.message }],
  };
}

/** Two shots of one batch with one shot code, other than one submission sent twice: the second is a mistake. */
function markRepeatedCodes(
  parsed: Array<{ index: number; request?: ShotRequest; errors?: FieldIssue[] }>,
): void {
  const repeats = repeatedShotCodes(parsed.map((p) => (p.errors ? undefined : p.request)));
  for (const [at, first] of repeats) {
    const p = parsed[at]!;
    p.errors = [
      {
        path: `shots[${p.index}].shot`,
        message: `repeats the shot code ${shotCodeOf(p.request!)} of shots[${parsed[first]!.index}]; one shot code is one shot`,
      },
    ];
  }
}

/** Two shots of one batch with the same idempotency key but different content cannot both be meant. */
function markRepeatedKeys(
  parsed: Array<{ index: number; request?: ShotRequest; errors?: FieldIssue[] }>,
): void {
  const seen = new Map<string, { index: number; json: string }>();
  for (const p of parsed) {
    if (!p.request) continue;
    const key = `${p.request.show}\u0000${p.request.idempotencyKey}`;
    const json = JSON.stringify(p.request);
    const first = seen.get(key);
    if (!first) seen.set(key, { index: p.index, json });
    else if (first.json !== json) {
      p.errors = [
        {
          path: `shots[${p.index}].idempotencyKey`,
          message: `repeats the key of shots[${first.index}] with different content`,
        },
      ];
    }
  }
}
