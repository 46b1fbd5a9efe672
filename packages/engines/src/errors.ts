import { ShotcallerError } from '@shotcaller/contracts';

/** An engine binary Shotcaller starts for itself is not installed. */
export class EngineMissing extends ShotcallerError {
  readonly code = 'engine_missing';
  constructor(
    readonly engine: string,
    hint: string,
  ) {
    super(`${engine} is not installed: ${hint}`);
  }
}

/** An engine was started but did not come up; the message carries the end of its log. */
export class EngineFailedToStart extends ShotcallerError {
  readonly code = 'engine_failed_to_start';
  constructor(
    readonly engine: string,
    reason: string,
    readonly logTail: string,
  ) {
    super(
      `${engine} did not start: ${reason}${logTail ? `\n--- last lines of its output ---\n${logTail}` : ''}`,
    );
  }
}
