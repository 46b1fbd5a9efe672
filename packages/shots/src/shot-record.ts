import { Shot } from '@shotcaller/contracts';

/** The stored shot is the contract's `Shot`; this name is the store's view of it. */
export const ShotRecord = Shot;
export type ShotRecord = Shot;
