/**
 * Errors that mean Redis did not answer, not that it refused: a connection lost, a cluster slot with no
 * master while a replica is promoted, a server still loading its data. The request may be sent again
 * once Redis is back; nothing about it was wrong.
 */
const unreachable = [
  /^CLUSTERDOWN\b/,
  /^TRYAGAIN\b/,
  /^MASTERDOWN\b/,
  /^LOADING\b/,
  /^READONLY\b/,
  /Too many Cluster redirections/,
  /Connection is closed/,
  /\bECONNREFUSED\b/,
  /\bECONNRESET\b/,
  /\bETIMEDOUT\b/,
  /Reached the max retries per request limit/,
];

export function isRedisUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return unreachable.some((pattern) => pattern.test(error.message));
}
