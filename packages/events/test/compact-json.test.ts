import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { eventTypes, makeEvent } from '@shotcaller/contracts';
import { describe, expect, it } from 'vitest';
import {
  compactEvent,
  compactJson,
  expandEvent,
  expandJson,
  typeOfCompactEvent,
  UnreadableStoredJson,
} from '../src/compact-json';
import { aSubmittedEvent, aUsageEvent } from './event-factory';

describe('compact JSON', () => {
  it('gives back exactly the JSON it was given, in a fraction of the bytes', () => {
    for (const event of [aSubmittedEvent(1), aUsageEvent(2)]) {
      const json = JSON.stringify(event);
      const stored = compactJson(json);
      expect(expandJson(stored)).toBe(json);
      expect(stored.length).toBeLessThan(json.length / 2);
    }
  });

  it('reads plain JSON as it is, as Lua scripts and older versions store it', () => {
    const json = JSON.stringify(aUsageEvent(3));
    expect(expandJson(json)).toBe(json);
    expect(expandJson(Buffer.from(json))).toBe(json);
  });

  it('reads values deflated with zlib’s default 32 KB window, as versions before the 8 KB one wrote them', () => {
    const dictionary = readFileSync(new URL('../src/event-dictionary-v1.txt', import.meta.url));
    const json = JSON.stringify(aSubmittedEvent(4));
    const older = Buffer.concat([Buffer.from([0x01]), deflateRawSync(json, { dictionary })]);
    expect(expandJson(older)).toBe(json);
    // And what this version writes is no larger than what they wrote.
    expect(compactJson(json).length).toBeLessThanOrEqual(older.length);
  });

  it('refuses a value of a format it does not know, saying so', () => {
    expect(() => expandJson(Buffer.from([0x07, 1, 2, 3]))).toThrow(UnreadableStoredJson);
  });

  it('keeps the dictionary of format 1 byte for byte: stored values depend on it', () => {
    const bytes = readFileSync(new URL('../src/event-dictionary-v1.txt', import.meta.url));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      '52155da36bdfd0072d7f4de5d4d23b5630bb11ad492a99f6e851cc42c21b6084',
    );
  });

  it('names a catalogue type in one byte, read without expanding the event; other types stay inside', () => {
    const event = aUsageEvent(6);
    const stored = compactEvent(event);
    expect(typeOfCompactEvent(stored)).toBe(event.type);
    expect(JSON.parse(expandEvent(stored, { id: event.id, subject: event.subject! }))).toEqual(event);
    // A type this version's table does not have (a newer one's): stored with its type inside, as before.
    const unlisted = { ...event, type: 'io.shotcaller.genai.usage.recorded.v9' };
    const inside = compactEvent(unlisted);
    expect(typeOfCompactEvent(inside)).toBeUndefined();
    expect(JSON.parse(expandEvent(inside, { id: event.id, subject: event.subject! }))).toEqual(unlisted);
    expect(typeOfCompactEvent(JSON.stringify(event))).toBeUndefined();
  });

  it('keeps the type table of format 3 line for line, and every type of the catalogue in it', () => {
    const table = readFileSync(new URL('../src/event-types-v1.txt', import.meta.url), 'utf8')
      .trim()
      .split('\n');
    // Stored events name their type by line: the first 48 lines never change (new types go after them).
    expect(
      createHash('sha256')
        .update(`${table.slice(0, 48).join('\n')}\n`)
        .digest('hex'),
    ).toBe('5a0ccb1f13f0832938468db4437227c6f3d6cc1e031914221494b16fcee9284f');
    expect(eventTypes.filter((type) => !table.includes(type))).toEqual([]);
    expect(table.length).toBeLessThanOrEqual(256);
  });

  it('stores an event without what its stream entry holds, and gives the same event back', () => {
    const aboutAShot = aSubmittedEvent(4);
    const noSubject = makeEvent(
      'io.shotcaller.compliance.rules.configured.v1',
      { changes: [], by: 'cleo' },
      { source: '/test', correlationId: 'rules-1' },
    );
    const otherCorrelation = makeEvent(
      'io.shotcaller.genai.usage.recorded.v1',
      {
        shotId: 'shot-5',
        taskId: 't',
        provider: 'local',
        unit: 'frame',
        quantity: 1,
        cost: { amountMinor: 1, currency: 'USD' },
      },
      { source: '/test', correlationId: 'batch-9', subject: 'shot-5', causationId: 'e-1', show: 'NTH' },
    );
    for (const event of [aboutAShot, noSubject, otherCorrelation]) {
      const stored = compactEvent(event);
      const back = expandEvent(stored, { id: event.id, subject: event.subject ?? '' });
      expect(JSON.parse(back)).toEqual(event);
      expect(stored.includes(Buffer.from(event.id))).toBe(false);
    }
    // Plain JSON, as Lua scripts append it, is read as it is.
    const json = JSON.stringify(aboutAShot);
    expect(expandEvent(Buffer.from(json), { id: aboutAShot.id, subject: aboutAShot.subject! })).toBe(json);
  });
});
