import type { ShotRequest } from '@shotcaller/contracts';
import { aShotRequest } from '@shotcaller/testkit';
import { describe, expect, it } from 'vitest';
import {
  type CutClip,
  type CutDocument,
  compareShot,
  editorialOf,
  NoSuchTrack,
  selectShots,
  TurnoverMapping,
  type TurnoverShot,
} from '../src';
import { movedInCut } from '../src/cut-order';

const mapping = (over: Record<string, unknown> = {}) =>
  TurnoverMapping.parse({ show: 'NTH', budgetLine: 'L', deadline: '2027-03-12T18:00:00Z', ...over });

let event = 0;
function aClip(name: string, over: Partial<CutClip> = {}): CutClip {
  event++;
  return {
    event,
    name,
    rate: 24,
    sourceIn: 1000 * event,
    duration: 48,
    recordIn: 48 * (event - 1),
    timecodes: { sourceIn: 'a', sourceOut: 'b', recordIn: 'c', recordOut: 'd' },
    markers: [],
    comments: [],
    reel: '',
    ...over,
  };
}

function aCut(...tracks: CutClip[][]): CutDocument {
  return {
    adapter: 'cmx_3600',
    name: 'R1',
    rate: 24,
    dropFrame: false,
    tracks: tracks.map((clips, i) => ({ index: i + 1, name: `V${i + 1}`, clips })),
  };
}

describe('selecting the VFX shots of a cut', () => {
  it('takes every clip that fits the name pattern, and leaves plates out without complaint', () => {
    const { shots, invalid } = selectShots(
      aCut([aClip('COL_0010'), aClip('A001C003'), aClip('COL_0020')]),
      mapping(),
    );
    expect(shots.map((s) => [s.sequence, s.shot])).toEqual([
      ['COL', '0010'],
      ['COL', '0020'],
    ]);
    expect(invalid).toEqual([]);
  });

  it('reads the episode from the name when the pattern has one', () => {
    const { shots } = selectShots(
      aCut([aClip('EP01-COL-0010')]),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the mapping's placeholder syntax
      mapping({ pattern: '${episode}-${sequence}-${shot}' }),
    );
    expect(shots[0]).toMatchObject({ episode: 'EP01', sequence: 'COL', shot: '0010' });
  });

  it('selects by marker colour or EDL comment, and reports a selected clip whose name does not fit', () => {
    const cut = aCut([
      aClip('COL_0010', { markers: [{ name: 'TOWER', color: 'RED', comment: '' }] }),
      aClip('COL_0020', { markers: [{ name: 'GRADE', color: 'BLUE', comment: '' }] }),
      aClip('A001C007', { markers: [{ name: 'SKY', color: 'RED', comment: '' }] }),
    ]);
    const { shots, invalid } = selectShots(cut, mapping({ select: { markerColor: 'red' } }));
    expect(shots.map((s) => s.clip)).toEqual(['COL_0010']);
    expect(invalid.map((i) => i.message)).toEqual([
      `event ${event} (clip "A001C007") is marked as VFX but its name does not match \${sequence}_\${shot}`,
    ]);
  });

  it('makes the brief from prefixed comments and markers, each note once', () => {
    const clip = aClip('COL_0010', {
      comments: ['OTIO TRUNCATED REEL NAME FROM: x.mov', 'VFX: Tower falls'],
      markers: [{ name: 'TOWER FALLS', color: 'RED', comment: 'add dust' }],
    });
    expect(selectShots(aCut([clip]), mapping()).shots[0]!.notes).toEqual(['Tower falls', 'add dust']);
  });

  it('refuses a clip at another frame rate, naming it', () => {
    const { shots, invalid } = selectShots(aCut([aClip('COL_0010', { rate: 25 })]), mapping());
    expect(shots).toEqual([]);
    expect(invalid[0]!.message).toMatch(/clip "COL_0010"\) runs at 25 fps but the show runs at 24 fps/);
  });

  it('refuses both clips of a shot code that appears twice', () => {
    const a = aClip('COL_0010', { recordIn: 0 });
    const b = aClip('COL_0010', { recordIn: 500 });
    const { shots, invalid } = selectShots(aCut([a, b]), mapping());
    expect(shots).toEqual([]);
    expect(invalid.map((i) => i.event)).toEqual([a.event, b.event]);
    expect(invalid[0]!.message).toMatch(/is the same shot as event/);
  });

  it('names the tracks it has when the mapping asks for one it does not', () => {
    expect(() => selectShots(aCut([aClip('COL_0010')]), mapping({ select: { track: 'VFX' } }))).toThrow(
      NoSuchTrack,
    );
  });
});

function aShot(over: Partial<TurnoverShot> = {}): TurnoverShot {
  return {
    sequence: 'COL',
    shot: '0010',
    clip: 'COL_0010',
    event: 1,
    track: 'V1',
    sourceIn: 1000,
    duration: 48,
    recordIn: 0,
    timecodes: { sourceIn: 'a', sourceOut: 'b', recordIn: 'c', recordOut: 'd' },
    notes: [],
    ...over,
  };
}

const existing = (request: ShotRequest) => ({ id: 'sh-1', state: 'submitted' as const, request });
const turnedOver = (shot: TurnoverShot) =>
  existing({
    ...aShotRequest(),
    editorial: editorialOf(shot, { rate: 24, dropFrame: false, handles: 8 }),
  } as ShotRequest);

describe('comparing a re-cut shot with the shot as turned over', () => {
  const before = turnedOver(aShot());

  it('is unchanged when its frames are the same, wherever the cut put it', () => {
    expect(compareShot(aShot({ recordIn: 200 }), before, 8)).toEqual({ change: 'unchanged' });
  });

  it('says by how much it grew and whether the handles still cover it', () => {
    expect(compareShot(aShot({ sourceIn: 996, duration: 54 }), before, 8)).toEqual({
      change: 'lengthened',
      frames: 6,
      withinHandles: true,
      sourceDelta: -4,
    });
    expect(compareShot(aShot({ sourceIn: 990, duration: 60 }), before, 8)).toMatchObject({
      change: 'lengthened',
      frames: 12,
      withinHandles: false,
    });
  });

  it('says by how much it shrank', () => {
    expect(compareShot(aShot({ duration: 40 }), before, 8)).toMatchObject({ change: 'shortened', frames: 8 });
  });

  it('calls a reordered or slipped shot of the same length moved', () => {
    expect(compareShot(aShot({ recordIn: 96 }), before, 8, true)).toEqual({
      change: 'moved',
      withinHandles: true,
      recordDelta: 96,
    });
    expect(compareShot(aShot({ sourceIn: 1010 }), before, 8)).toMatchObject({
      change: 'moved',
      sourceDelta: 10,
      withinHandles: false,
    });
  });

  it('compares a shot submitted by hand by its length with handles', () => {
    const byHand = existing(aShotRequest({ frames: { start: 1001, end: 1064 } }) as ShotRequest);
    expect(compareShot(aShot(), byHand, 8)).toEqual({ change: 'unchanged' });
    expect(compareShot(aShot({ duration: 50 }), byHand, 8)).toEqual({ change: 'lengthened', frames: 2 });
  });
});

describe("the cut's order", () => {
  it('finds the shot an editor moved, not the ones that merely shifted', () => {
    expect(movedInCut(['10', '30', '40', '60'], ['10', '40', '60', '30', '50'])).toEqual(new Set(['30']));
  });

  it('finds nothing moved when only shots were added or dropped', () => {
    expect(movedInCut(['10', '20', '30'], ['05', '10', '30'])).toEqual(new Set());
  });
});
