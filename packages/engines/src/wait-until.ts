/** Polls `probe` until it returns true, the process dies, or `timeoutMs` passes. */
export async function waitUntil(
  probe: () => Promise<boolean>,
  opts: { timeoutMs: number; intervalMs?: number; aborted?: () => string | undefined },
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const deadline = Date.now() + opts.timeoutMs;
  while (Date.now() < deadline) {
    const abort = opts.aborted?.();
    if (abort) return { ok: false, reason: abort };
    if (await probe().catch(() => false)) return { ok: true };
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
  return { ok: false, reason: `not ready after ${opts.timeoutMs} ms` };
}
