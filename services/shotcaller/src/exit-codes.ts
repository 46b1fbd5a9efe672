/** Exit codes scripts can rely on. */
export const exitCodes = {
  ok: 0,
  /** The request was made and refused, or some shots were invalid. */
  failed: 1,
  /** The command line itself was wrong. */
  usage: 2,
  /** The API could not be reached. */
  unreachable: 3,
  /** The API kept refusing with 429 (rate limit) after the waits it asked for: try again later. */
  rateLimited: 4,
} as const;
