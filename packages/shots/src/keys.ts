import type { ShotState } from '@shotcaller/contracts';
import { deploymentPrefix } from '@shotcaller/events';

export interface ShotKeys {
  shot(id: string): string;
  /** idempotency key → "shot id|request fingerprint", per show. */
  idempotency(show: string): string;
  /** The shows that have shots: listings across shows merge the shows' own indexes. */
  shows: string;
  byShow(show: string): string;
  byShowState(show: string, state: ShotState): string;
  /** Deployment-wide indexes an older version kept; read once by `upgradeIndexes`, then dropped. */
  legacy: { all: string; byState(state: ShotState): string };
}

/** Shot keys; every one under the deployment's hash tag so one Lua script may touch them with the event log. */
export function shotKeys(deployment: string): ShotKeys {
  const p = deploymentPrefix(deployment);
  return {
    shot: (id) => `${p}shot:${id}`,
    idempotency: (show) => `${p}shots:idem:${show}`,
    shows: `${p}shots:shows`,
    byShow: (show) => `${p}shots:show:${show}`,
    byShowState: (show, state) => `${p}shots:show:${show}:state:${state}`,
    legacy: { all: `${p}shots:all`, byState: (state) => `${p}shots:state:${state}` },
  };
}
