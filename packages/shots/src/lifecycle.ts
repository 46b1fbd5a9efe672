import type { ShotState } from '@shotcaller/contracts';
import { IllegalTransition } from './errors';

/**
 * The legal moves of a shot. `held` is left for `routing` when consent arrives (the pre-check runs
 * again), or for `rerouted` when a TD overrides a held AI shot to a vendor (routing then queues it
 * there); `in-review` goes back to `in-progress` when a vendor is asked for changes.
 */
export const transitions: Readonly<Record<ShotState, readonly ShotState[]>> = {
  submitted: ['routing', 'cancelled'],
  routing: ['held', 'queued', 'failed', 'cancelled'],
  held: ['routing', 'queued', 'rerouted', 'cancelled'],
  queued: ['in-progress', 'rerouted', 'held', 'cancelled', 'failed'],
  'in-progress': ['delivered', 'failed', 'rerouted', 'held', 'cancelled'],
  delivered: ['in-review', 'approved', 'rejected', 'in-progress', 'held', 'cancelled'],
  'in-review': ['approved', 'rejected', 'in-progress', 'held', 'cancelled'],
  rejected: ['rerouted', 'submitted', 'cancelled'],
  rerouted: ['queued', 'held', 'cancelled'],
  failed: ['submitted', 'rerouted', 'cancelled'],
  approved: [],
  cancelled: [],
};

/** States a shot never leaves. */
export const finalStates: readonly ShotState[] = ['approved', 'cancelled'];

/**
 * States in which a shot's work is queued, running or awaiting review: work that a compliance finding
 * (a revoked consent) stops there and holds. Before `queued` no work has started; after review the
 * shot is done or gone back for another route, which the pre-check sees again.
 */
export const stoppableStates: readonly ShotState[] = ['queued', 'in-progress', 'delivered', 'in-review'];

/** States before work starts, in which a shot's request may still be revised. */
export const revisableStates: readonly ShotState[] = ['submitted', 'held', 'queued'];

/** Whether work in `state` can be stopped and the shot held. */
export function isStoppable(state: ShotState): boolean {
  return stoppableStates.includes(state);
}

export function canTransition(from: ShotState, to: ShotState): boolean {
  return transitions[from].includes(to);
}

/** Throws {@link IllegalTransition} unless `from → to` is a legal move. */
export function assertTransition(shotId: string, from: ShotState, to: ShotState): void {
  if (!canTransition(from, to)) throw new IllegalTransition(shotId, from, to, transitions[from]);
}
