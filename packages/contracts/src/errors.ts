/** Base of every error Shotcaller raises on purpose: a stable code for programs, a sentence for people. */
export abstract class ShotcallerError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export interface FieldIssue {
  /** Dotted path to the offending field, e.g. `frames.end` or `performers[1].likeness`; empty for the whole value. */
  path: string;
  message: string;
}

/** An input did not match its schema; every issue names the field and the reason. */
export class ValidationFailed extends ShotcallerError {
  readonly code = 'validation_failed';
  constructor(
    readonly subject: string,
    readonly issues: FieldIssue[],
  ) {
    super(
      `Invalid ${subject}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`,
    );
  }
}

/** An event whose type is not in the catalogue (a newer producer, or a typo). */
export class UnknownEventType extends ShotcallerError {
  readonly code = 'unknown_event_type';
  constructor(readonly type: string) {
    super(`Unknown event type "${type}": it is not in the event catalogue of this version of Shotcaller`);
  }
}

/** Two amounts in different currencies met where no rate table says how to convert them. */
export class CurrencyMismatch extends ShotcallerError {
  readonly code = 'currency_mismatch';
  constructor(
    readonly left: string,
    readonly right: string,
  ) {
    super(`Cannot combine ${left} and ${right} amounts without an explicit rate table`);
  }
}
