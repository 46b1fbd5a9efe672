import type { ShotRequest } from '@shotcaller/contracts';
import { Partitions } from '@shotcaller/events';
import { ShotPartitions } from '@shotcaller/shots';
import { aShotRequest, testRedis } from '@shotcaller/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CutClip, type CutDocument, importTurnover, TurnoverMapping, type TurnoverSink } from '../src';

let redis: ReturnType<typeof testRedis>['redis'];
let shots: ShotPartitions;
const actor = { name: 'turnover R2', source: '/test' };
const mapping = TurnoverMapping.parse({ show: 'NTH', budgetLine: 'L', deadline: '2027-03-12T18:00:00Z' });
const options = {
  turnoverId: 'to-1',
  file: 'R2.edl',
  by: 'td',
  dryRun: false,
  partial: false,
  now: new Date('2026-11-25T10:00:00Z'),
};

beforeEach(() => {
  const r = testRedis();
  redis = r.redis;
  shots = new ShotPartitions(redis, new Partitions(r.deployment, 1));
});
afterEach(() => redis.disconnect());

function aCut(...names: string[]): CutDocument {
  const clips: CutClip[] = names.map((name, i) => ({
    event: i + 1,
    name,
    rate: 24,
    sourceIn: 1000 * (i + 1),
    duration: 48,
    recordIn: 48 * i,
    timecodes: { sourceIn: 'a', sourceOut: 'b', recordIn: 'c', recordOut: 'd' },
    markers: [],
    comments: [],
    reel: '',
  }));
  return {
    adapter: 'cmx_3600',
    name: 'R2',
    rate: 24,
    dropFrame: false,
    tracks: [{ index: 1, name: 'V1', clips }],
  };
}

/** The sink the API gives an import, on real shots; `beforeSubmit` runs before each submission. */
function sinkOnShots(beforeSubmit: (request: ShotRequest) => Promise<void> = async () => {}): TurnoverSink {
  return {
    existing: async (show) => (await shots.list({ show, visibleShows: '*', limit: 500 })).shots,
    submit: async (request) => {
      await beforeSubmit(request);
      const { shot, created } = await shots.submit(request, actor);
      return { shotId: shot.id, created };
    },
    revise: (id, request) => shots.revise(id, request, actor),
    record: async () => {},
  };
}

describe('a turnover and shot codes', () => {
  it('reports a new shot of the cut that someone submitted while the cut was read, and creates the rest', async () => {
    let byHand: string | undefined;
    const sink = sinkOnShots(async (request) => {
      if (request.shot !== '0020' || byHand) return;
      const { shot } = await shots.submit(
        { ...request, idempotencyKey: 'by-hand-0020' },
        { ...actor, name: 'ana' },
      );
      byHand = shot.id;
    });
    const report = await importTurnover(aCut('COL_0010', 'COL_0020', 'COL_0030'), mapping, options, sink);
    expect(report.entries.map((e) => [e.shot, e.action])).toEqual([
      ['0010', 'created'],
      ['0020', 'reported'],
      ['0030', 'created'],
    ]);
    expect(report.entries[1]).toMatchObject({ shotId: byHand, state: 'submitted' });
    expect(report.entries[1]!.message).toMatch(/submitted while the cut was read; import the turnover again/);
    const all = (await shots.list({ show: 'NTH', visibleShows: '*', limit: 10 })).shots;
    expect(all.filter((s) => s.request.shot === '0020').map((s) => s.id)).toEqual([byHand]);
  });

  it('revises a live shot of the same code that a TD submitted by hand, rather than make another', async () => {
    const { episode: _none, ...request } = aShotRequest({
      sequence: 'COL',
      shot: '0010',
      frames: { start: 1001, end: 1024 },
    });
    const { shot: byHand } = await shots.submit(request, { ...actor, name: 'ana' });
    const report = await importTurnover(aCut('COL_0010'), mapping, options, sinkOnShots());
    expect(report.entries).toEqual([
      expect.objectContaining({ shotId: byHand.id, change: 'lengthened', action: 'revised' }),
    ]);
    expect(await shots.count()).toBe(1);
  });
});
