import { decodeFacts, encodeFact, type Fact, factOf, LedgerUnreadable } from '@shotcaller/budget';
import { describe, expect, it } from 'vitest';
import { plannedShot } from './events';

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const shotId = 'sh-0193a8f0-5b1c-7c1e-9d2a-3f4e5a6b7c8d';
const at = '2026-11-01T10:00:00.123Z';

const everyKind: Fact[] = [
  {
    kind: 'submitted',
    at,
    show: 'NTH',
    episode: 'EP01',
    sequence: 'SQ010',
    shot: 'SH0010',
    lineId: 'NTH-EP01',
    frames: 96,
  },
  { kind: 'submitted', at, show: 'NTH', sequence: 'SQ010', shot: 'SH0010', lineId: 'NTH-EP01', frames: 1 },
  {
    kind: 'submitted',
    at,
    show: 'NTH',
    sequence: 'SQ010',
    shot: 'SH0010',
    lineId: 'NTH-EP01',
    frames: 1,
    category: 'destruction',
    complexity: 'hero',
  },
  { kind: 'routed', at, route: 'genai', estimate: usd(12_345) },
  { kind: 'reserved', at, taskId: `${shotId}-v2`, amount: usd(12_345) },
  {
    kind: 'usage',
    at,
    taskId: 'another-task',
    amount: { amountMinor: 9, currency: 'JPY' },
    outcome: 'completed',
  },
  {
    kind: 'usage',
    at,
    taskId: `${shotId}-v2`,
    amount: usd(300),
    provider: 'comfy-farm',
    outcome: 'completed',
  },
  { kind: 'usage', at, taskId: `${shotId}-v2`, amount: usd(120), provider: 'fal', outcome: 'timed-out' },
  { kind: 'task-ended', at: '2026-11-01T10:00:00Z', taskId: `${shotId}-v2` },
  { kind: 'awarded', at: '2026-11-01T12:00:00+02:00', amount: usd(2 ** 52) },
  { kind: 'awarded', at, amount: { amountMinor: 600_000_000, currency: 'ARS' }, vendorId: 'pampa-vfx' },
  { kind: 'invoiced', at, invoiceId: 'INV-1', amount: usd(0) },
  { kind: 'approved', at },
  { kind: 'cancelled', at },
  { kind: 'reopened', at },
];

describe('a shot’s stored facts', () => {
  it('give back every kind of fact exactly, under its event id, in the order stored', () => {
    const ids = everyKind.map((_, i) =>
      i % 2 ? `${shotId}-e${i}` : `0193a8f0-0000-7000-8000-00000000000${i}`,
    );
    const stored = everyKind.map((f, i) => encodeFact(shotId, ids[i]!, f)).join('');
    expect(decodeFacts(shotId, stored)).toEqual(everyKind.map((fact, i) => ({ eventId: ids[i], fact })));
  });

  it('keep a genai shot’s facts in under half the bytes of the facts as JSON objects', () => {
    const p = plannedShot(2);
    const found = p.events.flatMap((e) => {
      const f = factOf(e);
      return f ? [{ eventId: e.id, fact: f.fact }] : [];
    });
    const stored = found.map(({ eventId, fact }) => encodeFact(p.shotId, eventId, fact)).join('');
    expect(decodeFacts(p.shotId, stored)).toEqual(found);
    const asObjects = found.reduce((n, f) => n + f.eventId.length + JSON.stringify(f.fact).length, 0);
    expect(Buffer.byteLength(stored)).toBeLessThan(asObjects / 2);
  });

  it('still read facts stored before category, complexity and vendor were kept', () => {
    const stored =
      '["e1","s",1793527200123,"NTH","SQ010","SH0010","NTH-EP01",96,"EP01"]\n["e2","a",1793527200123,1000,"USD"]\n';
    expect(decodeFacts(shotId, stored).map((f) => f.fact)).toEqual([
      {
        kind: 'submitted',
        at,
        show: 'NTH',
        episode: 'EP01',
        sequence: 'SQ010',
        shot: 'SH0010',
        lineId: 'NTH-EP01',
        frames: 96,
      },
      { kind: 'awarded', at, amount: usd(1000) },
    ]);
  });

  it('keep strings with newlines, quotes and non-ASCII letters on one line each', () => {
    const fact: Fact = {
      kind: 'submitted',
      at,
      show: 'NTH',
      sequence: 'Séquence "1"\nbis',
      shot: 'ショット',
      lineId: 'L',
      frames: 1,
    };
    const stored = encodeFact(shotId, 'e1', fact);
    expect(stored.split('\n')).toHaveLength(2);
    expect(decodeFacts(shotId, stored)).toEqual([{ eventId: 'e1', fact }]);
  });

  it('name the shot and the record, and say to rebuild, when a record is not of this layout', () => {
    for (const stored of [
      '{"kind":"approved"}\n',
      '["e1","z",1]\n',
      '["e1","r",1,"genai","x","USD"]\n',
      'not json\n',
    ])
      expect(() => decodeFacts(shotId, stored)).toThrow(LedgerUnreadable);
    expect(() => decodeFacts(shotId, '["e1","z",1]\n')).toThrow(/sh-0193a8f0.*budget rebuild/);
  });
});
