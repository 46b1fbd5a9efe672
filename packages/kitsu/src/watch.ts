import { type ImportOptions, type ImportOutcome, type ImportSink, importFromKitsu } from './import';
import type { KitsuClient } from './kitsu-client';
import type { KitsuMapping } from './mapping';

export interface WatchOptions extends ImportOptions {
  /** How often to look for tasks in the watched status. */
  everyMs: number;
  /** Told about each pass: what was imported or refused, or why the pass failed. */
  onPass?: (outcomes: ImportOutcome[] | undefined, error?: unknown) => void;
}

/**
 * Polls Kitsu for shots whose task sits in a status such as "Ready To Start" and imports them. Once
 * Shotcaller routes a shot, the sync moves its task on, so the next pass leaves it alone; and the
 * import is idempotent anyway. One pass at a time; a failed pass is retried on the next tick.
 */
export function watchKitsu(
  client: KitsuClient,
  mapping: KitsuMapping,
  options: WatchOptions,
  sink: ImportSink,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  let stopped = false;
  const pass = async () => {
    try {
      options.onPass?.(await importFromKitsu(client, mapping, options, sink));
    } catch (error) {
      options.onPass?.(undefined, error);
    }
  };
  const timer = setInterval(() => {
    if (!running && !stopped) running = pass().finally(() => (running = undefined));
  }, options.everyMs);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
