import {
  type EventType,
  eventTypes,
  makeEvent,
  parseEvent,
  UnknownEventType,
  ValidationFailed,
} from '@shotcaller/contracts';
import { describe, expect, it } from 'vitest';
import { sampleData } from './sample-events';

const meta = { source: '/shotcaller/test/router', correlationId: 'corr-1', subject: 's1', show: 'NTH' };

describe('the event catalogue', () => {
  it.each(eventTypes)('%s round-trips through JSON unchanged', (type: EventType) => {
    const event = makeEvent(type, sampleData[type] as never, meta);
    const back = parseEvent(JSON.parse(JSON.stringify(event)));
    expect(back).toEqual(event);
    expect(back.type).toBe(type);
  });

  it('has a sample for every type, and a type for every sample', () => {
    expect(Object.keys(sampleData).sort()).toEqual([...eventTypes].sort());
  });

  it('makes CloudEvents 1.0 with lower-case alphanumeric extension names', () => {
    const event = makeEvent(
      'io.shotcaller.shot.started.v1',
      { shotId: 's1', route: 'genai' },
      {
        ...meta,
        causationId: 'ev-0',
      },
    );
    expect(event.specversion).toBe('1.0');
    expect(event.datacontenttype).toBe('application/json');
    const standard = ['specversion', 'id', 'source', 'type', 'time', 'subject', 'datacontenttype', 'data'];
    for (const key of Object.keys(event).filter((k) => !standard.includes(k))) {
      expect(key).toMatch(/^[a-z0-9]+$/);
    }
    expect(event.causationid).toBe('ev-0');
  });

  it('rejects an unknown event type by name', () => {
    const event = { ...makeEvent('io.shotcaller.shot.started.v1', { shotId: 's', route: 'genai' }, meta) };
    const unknown = { ...event, type: 'io.shotcaller.shot.teleported.v1' };
    expect(() => parseEvent(unknown)).toThrow(UnknownEventType);
    expect(() => parseEvent(unknown)).toThrow(/io\.shotcaller\.shot\.teleported\.v1/);
  });

  it('names the data field when an event payload is wrong', () => {
    const event = makeEvent('io.shotcaller.shot.started.v1', { shotId: 's', route: 'genai' }, meta);
    const bad = { ...event, data: { shotId: 's', route: 'teleport' } };
    expect(() => parseEvent(bad)).toThrow(ValidationFailed);
    expect(() => parseEvent(bad)).toThrow(/data\.route/);
  });

  it('refuses to make an event whose data is invalid', () => {
    expect(() => makeEvent('io.shotcaller.genai.usage.recorded.v1', { shotId: 's' } as never, meta)).toThrow(
      /data\.taskId/,
    );
  });
});
