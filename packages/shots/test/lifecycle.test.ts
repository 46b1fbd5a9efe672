import type { ShotState } from '@shotcaller/contracts';
import {
  assertTransition,
  canTransition,
  finalStates,
  IllegalTransition,
  isStoppable,
  stoppableStates,
  transitions,
} from '@shotcaller/shots';
import { describe, expect, it } from 'vitest';

describe('the shot lifecycle', () => {
  it('walks the AI happy path', () => {
    const path: ShotState[] = [
      'submitted',
      'routing',
      'queued',
      'in-progress',
      'delivered',
      'in-review',
      'approved',
    ];
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
  });

  it('sends a rejected AI shot on to a vendor through rerouted', () => {
    expect(canTransition('rejected', 'rerouted')).toBe(true);
    expect(canTransition('rerouted', 'queued')).toBe(true);
  });

  it('releases a held shot back to routing, never straight to work', () => {
    expect(canTransition('held', 'routing')).toBe(true);
    expect(canTransition('held', 'in-progress')).toBe(false);
    // A TD may send a held AI shot to a vendor instead (an override goes through rerouted).
    expect(canTransition('held', 'rerouted')).toBe(true);
  });

  it('never leaves a final state', () => {
    for (const state of finalStates) expect(transitions[state]).toEqual([]);
  });

  it('refuses an illegal move with the moves that are allowed', () => {
    expect(() => assertTransition('sh-1', 'submitted', 'delivered')).toThrow(IllegalTransition);
    expect(() => assertTransition('sh-1', 'submitted', 'delivered')).toThrow(
      'Shot sh-1 is submitted and cannot become delivered (from submitted it can become: routing, cancelled)',
    );
    expect(() => assertTransition('sh-1', 'approved', 'cancelled')).toThrow(/approved is final/);
  });

  it('lets every non-final state be cancelled', () => {
    for (const state of Object.keys(transitions) as ShotState[]) {
      if (!finalStates.includes(state)) expect(canTransition(state, 'cancelled')).toBe(true);
    }
  });

  it('can hold a shot in every state its work can be stopped in', () => {
    for (const state of stoppableStates) expect(canTransition(state, 'held')).toBe(true);
  });

  it('stops work only once it is queued and until it is reviewed', () => {
    const notWorking: ShotState[] = ['submitted', 'routing', 'held', 'approved', 'rejected', 'cancelled'];
    expect(notWorking.filter(isStoppable)).toEqual([]);
    expect(isStoppable('in-progress')).toBe(true);
  });
});
