import { ShotcallerError } from '@shotcaller/contracts';

export class TicketNotFound extends ShotcallerError {
  readonly code = 'ticket_not_found';
  constructor(ticketId: string) {
    super(`No vendor ticket ${ticketId}`);
  }
}

/** A message to a ticket that has closed: nothing more can happen to it. */
export class TicketClosed extends ShotcallerError {
  readonly code = 'ticket_closed';
}

/** The ticket refused a message in its present phase (a bid after the award, an unknown bid…). */
export class TicketRefused extends ShotcallerError {
  readonly code = 'ticket_refused';
}

/** A vendor acting on a ticket that is not theirs (not invited, or not the awarded vendor). */
export class TicketForbidden extends ShotcallerError {
  readonly code = 'forbidden';
}

/** An award over the budget line's remainder without an overrun approval. */
export class AwardOverBudget extends ShotcallerError {
  readonly code = 'award_over_budget';
}

/**
 * An award of a bid in another currency than its budget line's, on a day the ledger has no rate for:
 * it cannot be checked against the line until the rate is recorded.
 */
export class AwardRateMissing extends ShotcallerError {
  readonly code = 'fx_rate_missing';
}

/** A delivery naming a file that is not in the store as uploaded for this ticket, or not with the declared hash. */
export class DeliveryRefused extends ShotcallerError {
  readonly code = 'delivery_refused';
}
