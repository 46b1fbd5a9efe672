import { CurrencyMismatch } from '@shotcaller/contracts';
import { labourImpact } from '@shotcaller/reports';
import { aShotRequest } from '@shotcaller/testkit';
import { describe, expect, it } from 'vitest';
import { rates, story } from './events';

// Every shot below is 48 frames (the factory's 1001–1048) of destruction, standard complexity, so with
// the test rate cards: vendor 48 × 100 + 650 = USD 5,450 in 18 days, of which 4,800 is frame work =
// 6 artist-days at 800/day; genai 48 × 2 + 480 = USD 576, of which 480 artist time = 0.6 artist-days.
const NTH = { show: 'NTH' };

describe('the labour impact of routing', () => {
  it('counts a shot routed to AI with the vendor route it did not take, and the artist time still in it', () => {
    const s = story('s1', aShotRequest({ shot: 'COL_0010' })).routed('genai');
    const report = labourImpact(s.events, NTH);
    expect(report.currency).toBe('USD');
    expect(report.totals).toMatchObject({
      aiShots: 1,
      aiFrames: 48,
      vendorWouldBeCost: 545_000,
      vendorArtistDaysNotContracted: 6,
      vendorTurnaroundDaysMedian: 18,
      vendorTurnaroundDaysMax: 18,
      genaiEstimateCost: 57_600,
      genaiArtistCost: 48_000,
      genaiArtistDays: 0.6,
      aiShotsWithActual: 0,
      vendorShots: 0,
      returnedShots: 0,
    });
    expect(report.shots[0]!.vendor!.basis).toContain('48 frames × USD 100.00/frame');
    expect(report.shots[0]!.vendor!.labourBasis).toContain('= 6 artist-days');
  });

  it('counts a shot routed to AI, rejected and rerouted to a vendor once, on the vendor side, with why', () => {
    const s = story('s1', aShotRequest())
      .routed('genai')
      .rejected('the debris reads as plastic')
      .rerouted(
        'genai',
        'vendor',
        'review-rejected',
        'AI output rejected in review by sup: the debris reads as plastic',
      )
      .routed('vendor');
    const report = labourImpact(s.events, NTH);
    expect(report.totals).toMatchObject({
      aiShots: 0,
      vendorWouldBeCost: 0,
      vendorArtistDaysNotContracted: 0,
      vendorShots: 1,
      vendorEstimateCost: 545_000,
      vendorArtistDays: 6,
      returnedShots: 1,
    });
    expect(report.shots).toHaveLength(1);
    expect(report.shots[0]).toMatchObject({
      side: 'vendor',
      decidedAt: s.events.at(-1)!.time,
      returned: { cause: 'review-rejected', reason: expect.stringContaining('plastic') },
    });
  });

  it('puts a shot on the vendor side from the moment it is taken back from AI, before it is routed again', () => {
    const s = story('s1', aShotRequest())
      .routed('genai')
      .rerouted('genai', 'vendor', 'genai-failed', 'GPU lost');
    const report = labourImpact(s.events, NTH);
    expect(report.totals).toMatchObject({ aiShots: 0, vendorShots: 1, returnedShots: 1 });
    // The vendor estimate is the one recorded when it was routed to AI.
    expect(report.totals.vendorEstimateCost).toBe(545_000);
  });

  it('uses the estimate recorded at routing when the rate cards changed afterwards', () => {
    const before = story('s1', aShotRequest()).routed('genai', rates({ vendorRate: '100.00' }));
    const after = story('s2', aShotRequest()).routed(
      'genai',
      rates({ vendorRate: '150.00', dayRate: '900.00' }),
    );
    const report = labourImpact([...before.events, ...after.events], NTH);
    const byId = new Map(report.shots.map((s) => [s.shotId, s]));
    expect(byId.get('s1')!.vendor).toMatchObject({ cost: 545_000, artistDays: 6 });
    // 48 × 150 + 650 = 7,850; 7,200 / 900 = 8 artist-days.
    expect(byId.get('s2')!.vendor).toMatchObject({ cost: 785_000, artistDays: 8 });
    expect(report.totals).toMatchObject({ vendorWouldBeCost: 1_330_000, vendorArtistDaysNotContracted: 14 });
  });

  it('calls a shot held on the AI route and sent to a vendor a return for the hold, with both reasons', () => {
    const s = story('s1', aShotRequest())
      .held('no consent on file from Marcus Hale')
      .rerouted('genai', 'vendor', 'override', 'no time to wait for consent')
      .routed('vendor');
    const [shot] = labourImpact(s.events, NTH).shots;
    expect(shot!.returned).toMatchObject({
      cause: 'held',
      reason: 'no consent on file from Marcus Hale; no time to wait for consent',
    });
  });

  it('counts a held shot as held, with no estimate the log does not have', () => {
    const report = labourImpact(story('s1', aShotRequest()).held('consent').events, NTH);
    expect(report.totals).toMatchObject({ heldShots: 1, aiShots: 0, vendorShots: 0 });
    expect(report.shots[0]).toMatchObject({ side: 'held', genai: null, vendor: null });
  });

  it('marks AI work that a vendor had before (IATSE 2024: impact on covered work)', () => {
    const s = story('s1', aShotRequest())
      .routed('vendor')
      .rerouted('vendor', 'genai', 'override', 'the vendor is booked out')
      .routed('genai');
    const report = labourImpact(s.events, NTH);
    expect(report.totals).toMatchObject({ aiShots: 1, aiShotsPreviouslyAtVendor: 1, vendorShots: 0 });
    expect(report.shots[0]!.previouslyAtVendor).toBe(true);
  });

  it('sums the artist hours recorded on AI work, and counts the shots that have none apart', () => {
    const a = story('s1', aShotRequest()).routed('genai').artistTime(3.5).artistTime(2.25);
    const b = story('s2', aShotRequest()).routed('genai');
    const report = labourImpact([...a.events, ...b.events], NTH);
    expect(report.totals).toMatchObject({ aiShots: 2, actualArtistHours: 5.75, aiShotsWithActual: 1 });
    expect(report.shots.find((s) => s.shotId === 's2')!.actualArtistHours).toBeNull();
  });

  it('does not invent artist-days for a decision recorded without them', () => {
    const s = story('s1', aShotRequest()).routed('genai', rates({ dayRate: null }));
    const report = labourImpact(s.events, NTH);
    expect(report.totals).toMatchObject({
      aiShots: 1,
      vendorWouldBeCost: 545_000,
      vendorArtistDaysNotContracted: 0,
      aiShotsWithoutLabourBasis: 1,
    });
    expect(report.shots[0]!.vendor).toMatchObject({ artistDays: null, artistCost: 480_000 });
  });

  it('leaves out cancelled shots and shots not routed yet, and says how many', () => {
    const cancelled = story('s1', aShotRequest()).routed('genai').cancelled();
    const waiting = story('s2', aShotRequest());
    const report = labourImpact([...cancelled.events, ...waiting.events], NTH);
    expect(report.shots).toEqual([]);
    expect(report.leftOut).toEqual({ cancelled: 1, notYetRouted: 1 });
  });

  it('reads a period: the state at its end, shots decided inside it, by ISO week', () => {
    // Mon 2 Nov 2026 is in 2026-W45; each step below is a day later.
    const early = story('s1', aShotRequest(), '2026-10-26T09:00:00Z').routed('genai');
    const inside = story('s2', aShotRequest(), '2026-11-02T09:00:00Z').routed('genai');
    const nextWeek = story('s3', aShotRequest(), '2026-11-08T09:00:00Z').routed('genai');
    // Taken back from AI after the period ends: inside it the shot is still AI work.
    const later = story('s4', aShotRequest(), '2026-11-03T09:00:00Z')
      .routed('genai')
      .rerouted('genai', 'vendor', 'override', 'director wants a practical', '2026-12-01T00:00:00Z');
    const all = [...early.events, ...inside.events, ...nextWeek.events, ...later.events];
    const report = labourImpact(all, {
      show: 'NTH',
      from: '2026-11-01T00:00:00Z',
      to: '2026-11-16T00:00:00Z',
    });
    expect(report.shots.map((s) => [s.shotId, s.side, s.week])).toEqual(
      expect.arrayContaining([
        ['s2', 'ai', '2026-W45'],
        ['s3', 'ai', '2026-W46'],
        ['s4', 'ai', '2026-W45'],
      ]),
    );
    expect(report.shots).toHaveLength(3);
    expect(report.byWeek.map((w) => [w.key, w.aiShots])).toEqual([
      ['2026-W45', 2],
      ['2026-W46', 1],
    ]);
    expect(report.upTo).toBe(later.events[1]!.id);
  });

  it('splits the figures by episode, sequence, category and complexity', () => {
    const shots = [
      story('a', aShotRequest({ episode: 'EP01', sequence: 'COL', category: 'destruction' })).routed('genai'),
      story(
        'b',
        aShotRequest({ episode: 'EP01', sequence: 'COL', category: 'environment', complexity: 'hero' }),
      ).routed('genai'),
      story(
        'c',
        aShotRequest({ episode: 'EP02', sequence: 'SEA', category: 'roto', complexity: 'simple' }),
      ).routed('vendor'),
    ];
    const report = labourImpact(
      shots.flatMap((s) => s.events),
      NTH,
    );
    expect(report.bySequence.map((g) => [g.key, g.aiShots, g.vendorShots])).toEqual([
      ['EP01/COL', 2, 0],
      ['EP02/SEA', 0, 1],
    ]);
    expect(report.byEpisode.map((g) => g.key)).toEqual(['EP01', 'EP02']);
    expect(report.byCategory.map((g) => [g.key, g.aiShots])).toEqual([
      ['destruction', 1],
      ['environment', 1],
      ['roto', 0],
    ]);
    expect(report.byComplexity.map((g) => g.key)).toEqual(['simple', 'standard', 'hero']);
    // hero: 48 × 100 × 2.2 = 10,560 + 650 overhead; 10,560 / 800 = 13.2 artist-days.
    expect(report.byComplexity.find((g) => g.key === 'hero')).toMatchObject({
      vendorWouldBeCost: 1_121_000,
      vendorArtistDaysNotContracted: 13.2,
    });
    const ep2 = labourImpact(
      shots.flatMap((s) => s.events),
      { show: 'NTH', episode: 'EP02' },
    );
    expect(ep2.shots.map((s) => s.shotId)).toEqual(['c']);
    expect(
      labourImpact(
        shots.flatMap((s) => s.events),
        { show: 'OTHER' },
      ).shots,
    ).toEqual([]);
  });

  it('refuses to add estimates in two currencies', () => {
    const usd = story('s1', aShotRequest()).routed('genai');
    const eur = story('s2', aShotRequest()).routed('genai', rates({ currency: 'EUR' }));
    expect(() => labourImpact([...usd.events, ...eur.events], NTH)).toThrow(CurrencyMismatch);
  });
});
