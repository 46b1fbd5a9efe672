/**
 * Lets one log line per key through per interval and counts the rest, so a flood of refused requests
 * (a token brute-forced, a script in a loop) leaves a readable log; the metrics count every one.
 */
export class LogThrottle {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly intervalMs = 10_000,
    private readonly maxKeys = 10_000,
  ) {}

  /** Whether to log now, and how many lines for this key were held back since the last one. */
  take(key: string, now = Date.now()): { log: boolean; suppressed: number } {
    const seen = this.last.get(key);
    if (seen && now - seen.at < this.intervalMs) {
      seen.suppressed += 1;
      return { log: false, suppressed: 0 };
    }
    if (!seen && this.last.size >= this.maxKeys) this.last.clear();
    this.last.set(key, { at: now, suppressed: 0 });
    return { log: true, suppressed: seen?.suppressed ?? 0 };
  }
}
