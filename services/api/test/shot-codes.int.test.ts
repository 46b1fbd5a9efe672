import { Problem, Shot, SubmitBatchResponse } from '@shotcaller/contracts';
import { aShotRequest } from '@shotcaller/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startApi, tokens } from './harness';

let api: Harness;

beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tokens.td}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer: unknown = await response.json();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    shot: () => Shot.parse(answer),
    problem: () => Problem.parse(answer),
    batch: () => SubmitBatchResponse.parse(answer),
  };
}

/** A shot of sequence BAD, shot `shot`, under a key of its own. */
const aBadShot = (shot: string, overrides: Record<string, unknown> = {}) =>
  aShotRequest({ sequence: 'BAD', shot, ...overrides });

describe('a shot code that is live', () => {
  it('is refused to a second submission with a 409 problem document that names and links the live shot', async () => {
    const created = await call('POST', '/v1/shots', aBadShot('BAD_9999'));
    expect(created.status).toBe(201);
    const live = created.shot();
    const before = await api.store.log.length();

    const again = await call('POST', '/v1/shots', aBadShot('BAD_9999', { brief: 'Submitted twice' }));
    expect(again.status).toBe(409);
    expect(again.type).toMatch(/^application\/problem\+json/);
    const problem = again.problem();
    expect(problem).toMatchObject({
      type: 'urn:shotcaller:problem:shot_code_taken',
      title: 'Conflict',
      status: 409,
      code: 'shot_code_taken',
      liveShot: {
        id: live.id,
        code: 'NTH/EP01/BAD/BAD_9999',
        state: 'submitted',
        href: `/v1/shots/${live.id}`,
      },
    });
    expect(problem.detail).toContain(`POST /v1/shots/${live.id}/revise`);
    expect(problem.detail).toContain(`POST /v1/shots/${live.id}/cancel`);
    expect((await call('GET', problem.liveShot!.href)).shot().id).toBe(live.id);
    expect(await api.store.log.length()).toBe(before);
  });

  it('takes the refused request as a revision of the live shot, after which sending it again answers that shot', async () => {
    const live = (await call('POST', '/v1/shots', aBadShot('BAD_0100'))).shot();
    const wanted = aBadShot('BAD_0100', { frames: { start: 1001, end: 1120 } });
    expect((await call('POST', '/v1/shots', wanted)).status).toBe(409);

    const revised = await call('POST', `/v1/shots/${live.id}/revise`, wanted);
    expect(revised.status).toBe(200);
    expect(revised.shot()).toMatchObject({ id: live.id, request: { frames: { start: 1001, end: 1120 } } });
    const resent = await call('POST', '/v1/shots', wanted);
    expect(resent.status).toBe(200);
    expect(resent.shot().id).toBe(live.id);
  });

  it('is free again once its shot is cancelled', async () => {
    const first = (await call('POST', '/v1/shots', aBadShot('BAD_0200'))).shot();
    expect(
      (await call('POST', `/v1/shots/${first.id}/cancel`, { reason: 'omitted from the cut' })).status,
    ).toBe(200);
    const second = await call('POST', '/v1/shots', aBadShot('BAD_0200'));
    expect(second.status).toBe(201);
    expect(second.shot().id).not.toBe(first.id);
  });
});

describe('a batch', () => {
  it('reports a row whose code is live with the live shot, and submits the rest', async () => {
    const live = (await call('POST', '/v1/shots', aBadShot('BAD_0300'))).shot();
    const rows = [aBadShot('BAD_0310'), aBadShot('BAD_0300'), aBadShot('BAD_0320')];
    const reply = await call('POST', '/v1/shots:batch', { shots: rows });
    expect(reply.status).toBe(200);
    const [first, refused, third] = reply.batch().results;
    expect(first).toMatchObject({ index: 0, status: 'created' });
    expect(third).toMatchObject({ index: 2, status: 'created' });
    expect(refused).toMatchObject({
      index: 1,
      status: 'conflict',
      code: 'shot_code_taken',
      shotId: live.id,
      errors: [{ path: 'shots[1].shot', message: expect.stringContaining(`/v1/shots/${live.id}`) }],
    });
    const codes = (await api.store.list({ show: 'NTH', visibleShows: '*', limit: 500 })).shots
      .filter((s) => s.request.shot.startsWith('BAD_03'))
      .map((s) => s.request.shot)
      .sort();
    expect(codes).toEqual(['BAD_0300', 'BAD_0310', 'BAD_0320']);
  });

  it('with one code twice names the second row; by default it then submits nothing', async () => {
    const rows = [aBadShot('BAD_0400'), aBadShot('BAD_0410'), aBadShot('BAD_0400')];
    const before = await api.store.count();
    const refused = await call('POST', '/v1/shots:batch', { shots: rows });
    expect(refused.status).toBe(400);
    expect(refused.problem().errors).toEqual([
      {
        path: 'shots[2].shot',
        message: expect.stringMatching(/repeats the shot code NTH\/EP01\/BAD\/BAD_0400 of shots\[0\]/),
      },
    ]);
    expect(await api.store.count()).toBe(before);

    const partial = await call('POST', '/v1/shots:batch', { shots: rows, partial: true });
    expect(partial.batch().results.map((r) => r.status)).toEqual(['created', 'created', 'invalid']);
  });

  it('reports a key reused for other content as a conflict on its row, and submits the rest', async () => {
    const made = aBadShot('BAD_0500');
    const live = (await call('POST', '/v1/shots', made)).shot();
    const reply = await call('POST', '/v1/shots:batch', {
      shots: [{ ...made, brief: 'Other content, same key' }, aBadShot('BAD_0510')],
    });
    expect(reply.batch().results).toEqual([
      expect.objectContaining({ status: 'conflict', code: 'idempotency_conflict', shotId: live.id }),
      expect.objectContaining({ status: 'created' }),
    ]);
  });
});
