import type { MissingFxRate } from '@shotcaller/contracts';
import { ApplicationFailure } from '@temporalio/common';

/** The kinds of refusal, as TicketClient maps them (TicketClosed → 409, TicketForbidden → 403, …). */
export type RefusalType =
  | 'TicketRefused'
  | 'TicketClosed'
  | 'TicketForbidden'
  | 'TicketNotFound'
  | 'OverBudget'
  | 'RateMissing';

/** A request the ticket refuses: never retried, and told to its caller as it is. */
export function refusal(message: string, type: RefusalType = 'TicketRefused'): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, type);
}

/** A missing rate as a person reads it. */
export const missingRate = (r: MissingFxRate) => `no ${r.from}→${r.to} rate for ${r.date}`;
