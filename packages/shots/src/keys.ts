import type { ShotState } from '@shotcaller/contracts';
import { deploymentPrefix } from '@shotcaller/events';

export interface ShotKeys {
  shot(id: string): string;
  /** idempotency key → "shot id|request fingerprint", per show. */
  idempotency(show: string): string;
  all: string;
  byShow(show: string): string;
  byState(state: ShotState): string;
  byShowState(show: string, state: ShotState): string;
}

/** Shot keys; every one under the deployment's hash tag so one Lua script may touch them with the event log. */
export function shotKeys(deployment: string): ShotKeys {
  const p = deploymentPrefix(deployment);
  return {
    shot: (id) => `${p}shot:${id}`,
    idempotency: (show) => `${p}shots:idem:${show}`,
    all: `${p}shots:all`,
    byShow: (show) => `${p}shots:show:${show}`,
    byState: (state) => `${p}shots:state:${state}`,
    byShowState: (show, state) => `${p}shots:show:${show}:state:${state}`,
  };
}
