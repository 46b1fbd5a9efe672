import type { EventEnvelope } from '@shotcaller/contracts';
import { canSeeShow, type Principal, type Role } from './auth';

/** Event type prefixes (after `io.shotcaller.`) each role's feed carries. */
const feedsByRole: Record<Role, readonly string[] | '*'> = {
  admin: '*',
  td: ['shot.', 'genai.', 'vendor.', 'turnover.'],
  accountant: [
    'budget.',
    'shot.',
    'genai.usage.',
    'genai.task.started',
    'vendor.ticket.awarded',
    'vendor.invoice.',
    'vendor.bid.',
    'genai.artist-time.',
  ],
  compliance: ['compliance.', 'consent.', 'approval.', 'shot.', 'genai.artist-time.'],
  vendor: [],
};

export interface FeedFilter {
  show?: string;
  /** Type prefixes without `io.shotcaller.`, e.g. `budget.` or `shot.held`. */
  types?: readonly string[];
}

/** Whether an event belongs on this caller's live feed, given their role, shows and filter. */
export function visibleOnFeed(
  event: Pick<EventEnvelope, 'type' | 'show'>,
  principal: Principal,
  filter: FeedFilter,
): boolean {
  const name = event.type.replace(/^io\.shotcaller\./, '');
  const feeds = feedsByRole[principal.role];
  if (feeds !== '*' && !feeds.some((p) => name.startsWith(p))) return false;
  if (filter.types && filter.types.length > 0 && !filter.types.some((p) => name.startsWith(p))) return false;
  if (filter.show !== undefined && event.show !== filter.show) return false;
  if (principal.shows !== '*' && (event.show === undefined || !canSeeShow(principal, event.show)))
    return false;
  return true;
}
