import { ShotcallerError } from '@shotcaller/contracts';
import type { Usage } from './adapter';

/** The provider could not do it now (down, overloaded, rate-limited): the worker retries with backoff. */
export class ProviderUnavailable extends ShotcallerError {
  readonly code = 'provider_unavailable';
  readonly permanent = false;
  constructor(
    message: string,
    /** What the provider charged for before it failed, when the work had started. */
    readonly usage?: Usage,
  ) {
    super(message);
  }
}

/** The provider refused the task for good (bad workflow, content policy): the shot goes to a vendor. */
export class ProviderRejectedTask extends ShotcallerError {
  readonly code = 'provider_rejected_task';
  readonly permanent = true;
  constructor(
    message: string,
    /** What the provider charged for before it failed, when the work had started. */
    readonly usage?: Usage,
  ) {
    super(message);
  }
}

/** The task was cancelled before it finished. */
export class GenerationCancelled extends ShotcallerError {
  readonly code = 'generation_cancelled';
  constructor(
    readonly taskId: string,
    /** What the provider charged for before it stopped, when the work had started. */
    readonly usage?: Usage,
  ) {
    super(`Generation ${taskId} was cancelled`);
  }
}

/** The usage an adapter's error says the provider charged for, if any. */
export function chargedUsage(error: unknown): Usage | undefined {
  const usage = (error as { usage?: Usage } | undefined)?.usage;
  return usage && usage.quantity > 0 ? usage : undefined;
}
