import type { EventEnvelope } from '@shotcaller/contracts';
import type { EmailTarget, WebhookTarget } from '@shotcaller/platform';

export type Target = ({ kind: 'webhook' } & WebhookTarget) | ({ kind: 'email' } & EmailTarget);

/** Whether a target wants this event: its type matches a prefix and its show is one the target follows. */
export function wants(target: Target, event: Pick<EventEnvelope, 'type' | 'show'>): boolean {
  const name = event.type.replace(/^io\.shotcaller\./, '');
  if (!target.types.some((prefix) => name.startsWith(prefix))) return false;
  return target.shows.includes('*') || (event.show !== undefined && target.shows.includes(event.show));
}
