import type { ShotState } from '@shotcaller/contracts';
import { deploymentPrefix, eventLogKeys } from '@shotcaller/events';

export interface ShotKeys {
  /**
   * The shot: a hash of its state, record, version and live progress, which is also the event log's
   * index of the shot's events (event id → stream entry, see events' keys.ts), so that a move writes
   * the shot and its events' index entries with one HSET.
   */
  shot(id: string): string;
  /** Where a shot lived before it shared its event index's hash; read once by `upgradeShotKeys`. */
  legacyShot(id: string): string;
  /** Set once every shot of the partition is in its event index's hash. */
  layout: string;
  /** idempotency key → "shot id|request fingerprint", per show. */
  idempotency(show: string): string;
  /** The shows that have shots: listings across shows merge the shows' own indexes. */
  shows: string;
  byShow(show: string): string;
  byShowState(show: string, state: ShotState): string;
  /**
   * The show's shot codes: code (`show/episode/sequence/shot`) → id of the live shot that has it, and
   * the field {@link codeIndexComplete} once it covers the shots made before the index existed.
   */
  codes(show: string): string;
  /** Deployment-wide indexes an older version kept; read once by `upgradeIndexes`, then dropped. */
  legacy: { all: string; byState(state: ShotState): string };
}

/** Shot keys; every one under the deployment's hash tag so one Lua script may touch them with the event log. */
export function shotKeys(deployment: string): ShotKeys {
  const p = deploymentPrefix(deployment);
  const events = eventLogKeys(deployment);
  return {
    shot: (id) => events.subject(id),
    legacyShot: (id) => `${p}shot:${id}`,
    layout: `${p}shots:layout`,
    idempotency: (show) => `${p}shots:idem:${show}`,
    shows: `${p}shots:shows`,
    byShow: (show) => `${p}shots:show:${show}`,
    byShowState: (show, state) => `${p}shots:show:${show}:state:${state}`,
    codes: (show) => `${p}shots:codes:${show}`,
    legacy: { all: `${p}shots:all`, byState: (state) => `${p}shots:state:${state}` },
  };
}

/**
 * The field of a show's code index that says it is complete ('#' is never in a shot code). The Lua in
 * commands/lib-shot-codes.lua names it too. Kept in the index itself, so dropping the index drops the
 * mark with it and the next submission builds it again.
 */
export const codeIndexComplete = '#complete';
