import { ShotcallerError, type ShotState } from '@shotcaller/contracts';

export class ShotNotFound extends ShotcallerError {
  readonly code = 'shot_not_found';
  constructor(readonly shotId: string) {
    super(`No shot ${shotId}`);
  }
}

/** The lifecycle does not allow this move from the shot's current state. */
export class IllegalTransition extends ShotcallerError {
  readonly code = 'illegal_transition';
  constructor(
    readonly shotId: string,
    readonly from: ShotState,
    readonly to: ShotState,
    readonly allowed: readonly ShotState[],
  ) {
    super(
      `Shot ${shotId} is ${from} and cannot become ${to}` +
        (allowed.length ? ` (from ${from} it can become: ${allowed.join(', ')})` : ` (${from} is final)`),
    );
  }
}

/** The same idempotency key was used for a different request. */
export class IdempotencyConflict extends ShotcallerError {
  readonly code = 'idempotency_conflict';
  constructor(
    readonly idempotencyKey: string,
    readonly shotId: string,
  ) {
    super(
      `Idempotency key "${idempotencyKey}" was already used for shot ${shotId} with different content; use a new key for a new request`,
    );
  }
}

/** Other writers kept changing the shot while this one tried to; the caller may retry. */
export class ShotBusy extends ShotcallerError {
  readonly code = 'shot_busy';
  constructor(readonly shotId: string) {
    super(`Shot ${shotId} is being changed by someone else; try again`);
  }
}

/** Vendor work is reviewed on its ticket, so the vendor hears of it and the review rounds are counted. */
export class ReviewOnTicket extends ShotcallerError {
  readonly code = 'review_on_ticket';
  constructor(shotId: string, ticketId: string) {
    super(
      `Shot ${shotId} is vendor work: review it on its ticket (POST /v1/vendor/tickets/${ticketId}/review) so the vendor hears of it`,
    );
  }
}

/** A shot's request can only change before work starts, and never its show or budget line. */
export class RevisionRefused extends ShotcallerError {
  readonly code = 'revision_refused';
}
