import { EventSourceParserStream } from 'eventsource-parser/stream';

export interface LiveEvent {
  id: string;
  type: string;
  subject?: string;
  show?: string;
  time: string;
  data: Record<string, unknown>;
}

/**
 * Follows `GET /v1/events` (Server-Sent Events) with the bearer token, which EventSource cannot send
 * (or with the session cookie when there is no token); reconnects after a drop, resuming after the
 * last event seen.
 */
export function follow(
  token: string | undefined,
  types: string[],
  onEvent: (e: LiveEvent) => void,
): () => void {
  const controller = new AbortController();
  let after: string | undefined;
  const run = async () => {
    while (!controller.signal.aborted) {
      let waitMs = 1000;
      try {
        const params = new URLSearchParams({ type: types.join(',') });
        if (after) params.set('after', after);
        const response = await fetch(`/v1/events?${params}`, {
          headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), accept: 'text/event-stream' },
          signal: controller.signal,
        });
        // Over the token's stream budget: come back when the server says, not every second.
        if (response.status === 429)
          waitMs = Math.min(60, Number(response.headers.get('retry-after')) || 5) * 1000;
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        const stream = response.body
          .pipeThrough(new TextDecoderStream())
          .pipeThrough(new EventSourceParserStream());
        const reader = stream.getReader();
        for (;;) {
          const { value: message, done } = await reader.read();
          if (done) break;
          // Live events (progress) have no id: there is nothing to resume them from.
          if (message.id) after = message.id;
          onEvent(JSON.parse(message.data) as LiveEvent);
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      await new Promise((r) => setTimeout(r, waitMs));
    }
  };
  void run();
  return () => controller.abort();
}

/** Calls `fn` at most once per `ms`, after the last call: many events, one refresh. */
export function debounce(fn: () => void, ms = 250): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}
