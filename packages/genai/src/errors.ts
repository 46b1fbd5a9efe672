import { ShotcallerError } from '@shotcaller/contracts';

/** The provider could not do it now (down, overloaded, rate-limited): the worker retries with backoff. */
export class ProviderUnavailable extends ShotcallerError {
  readonly code = 'provider_unavailable';
  readonly permanent = false;
}

/** The provider refused the task for good (bad workflow, content policy): the shot goes to a vendor. */
export class ProviderRejectedTask extends ShotcallerError {
  readonly code = 'provider_rejected_task';
  readonly permanent = true;
}

/** The task was cancelled before it finished. */
export class GenerationCancelled extends ShotcallerError {
  readonly code = 'generation_cancelled';
  constructor(readonly taskId: string) {
    super(`Generation ${taskId} was cancelled`);
  }
}
