import type { ShotState } from '@shotcaller/contracts';
import { compactJson } from '@shotcaller/events';
import type { ShotRecord } from './shot-record';

/**
 * States a shot passes through on its way to work, most often within a second: its record is about to be
 * written again, so it is kept as plain JSON rather than deflated each time (deflating a record costs
 * more than the rest of a move's work in this process). A shot that rests (held, with a vendor, delivered
 * and after) is kept compact, which is what a show's shots cost in memory.
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
