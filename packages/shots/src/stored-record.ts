import type { ShotState } from '@shotcaller/contracts';
import { compactJson } from '@shotcaller/events';
import type { ShotRecord } from './shot-record';

/**
 * States a shot passes through on its way to work, most often within a second: its record is about to be
 * written again, so it is kept as plain JSON rather than deflated each time (a record of ~2,400 bytes
 * took 40 to 70 µs to deflate, and a genai shot was written four times). A shot that rests (held, with a
 * vendor, delivered and after) is kept compact: that is what a show's shots cost in memory.
 */
const passing: ReadonlySet<ShotState> = new Set<ShotState>(['submitted', 'routing', 'rerouted', 'queued']);

/** How a shot's record is stored: plain JSON while it passes through, compact (see compactJson) once it rests. */
export function storedRecord(
  record: Omit<ShotRecord, 'version'> & { version?: number | undefined },
): string | Buffer {
  const json = JSON.stringify(record);
  const moving = passing.has(record.state) || (record.state === 'in-progress' && record.route === 'genai');
  return moving ? json : compactJson(json);
}
