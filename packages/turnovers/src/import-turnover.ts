import type { ShotRequest, TurnoverAction, TurnoverEntry, TurnoverReport } from '@shotcaller/contracts';
import { RevisionRefused, revisableStates, ShotCodeTaken } from '@shotcaller/shots';
import { type Comparison, compareShot, type ExistingShot } from './compare';
import type { CutDocument } from './cut-document';
import { movedInCut } from './cut-order';
import type { TurnoverMapping } from './mapping';
import { selectShots, type TurnoverShot } from './select-shots';
import { frameRangeOf, newRequest, revisedRequest } from './to-request';

/** Where an import reads and writes; the API and the tests give the real shot commands and event log. */
export interface TurnoverSink {
  /** The show's shots, whatever their state. */
  existing(show: string): Promise<Array<ExistingShot & { route?: string; vendorWorkflowId?: string }>>;
  submit(request: ShotRequest): Promise<{ shotId: string; created: boolean }>;
  /** Revises a shot whose work has not started; throws RevisionRefused otherwise. */
  revise(shotId: string, request: ShotRequest): Promise<{ changed: string[] }>;
  /** Posts a note to the shot's vendor ticket; false when it has none that takes notes. */
  postToTicket?(shot: ExistingShot, note: string): Promise<boolean>;
  /** Appends the `turnover.imported` event. */
  record(report: TurnoverReport): Promise<void>;
}

export interface TurnoverOptions {
  turnoverId: string;
  /** The file name as the TD gave it. */
  file: string;
  by: string;
  dryRun: boolean;
  /** Import the valid shots of an invalid turnover; without it an invalid turnover changes nothing. */
  partial: boolean;
  now: Date;
}

const code = (s: { episode?: string | undefined; sequence: string; shot: string }) =>
  `${s.episode ?? ''}/${s.sequence}/${s.shot}`;

/** A change in words, for the TD and for a vendor's ticket. */
export function describeChange(shot: { sequence: string; shot: string }, c: Comparison): string {
  const name = `${shot.sequence}_${shot.shot}`;
  const handles =
    c.withinHandles === undefined ? '' : c.withinHandles ? ', within the handles' : ', beyond the handles';
  const slip = c.sourceDelta
    ? `; its source slipped ${c.sourceDelta > 0 ? '+' : ''}${c.sourceDelta} frames`
    : '';
  if (c.change === 'lengthened' || c.change === 'shortened')
    return `${name} ${c.change} by ${c.frames} frames${handles}${slip}`;
  if (c.change === 'moved') {
    const where = c.recordDelta
      ? `, now ${Math.abs(c.recordDelta)} frames ${c.recordDelta > 0 ? 'later' : 'earlier'}`
      : '';
    return `${name} moved in the cut's order${where}${handles}${slip}`;
  }
  return `${name} ${c.change}`;
}

/**
 * Imports a cut: picks its VFX shots, compares them with the show's shots, creates the new ones,
 * revises those whose work has not started, reports (and posts to vendor tickets) changes to work in
 * progress, and reports shots the cut dropped; it never cancels one, the TD decides. An invalid
 * turnover changes nothing unless `partial`; a dry run changes nothing at all.
 */
export async function importTurnover(
  cut: CutDocument,
  mapping: TurnoverMapping,
  options: TurnoverOptions,
  sink: TurnoverSink,
): Promise<TurnoverReport> {
  const { shots, invalid } = selectShots(cut, mapping);
  const applied = invalid.length === 0 || options.partial;
  const write = applied && !options.dryRun;
  const all = await sink.existing(mapping.show);
  const live = all.filter((s) => s.state !== 'cancelled' && s.request.show === mapping.show);
  const byCode = new Map<string, (typeof live)[number]>();
  // A shot that came from a cut is the better match than one submitted by hand with the same code.
  for (const s of [...live].sort(
    (a, b) => Number(Boolean(a.request.editorial)) - Number(Boolean(b.request.editorial)),
  ))
    byCode.set(code(s.request), s);
  const cancelled = new Map(
    all
      .filter((s) => s.state === 'cancelled' && s.request.show === mapping.show)
      .map((s) => [code(s.request), s]),
  );

  const byRecord = <T>(items: T[], at: (t: T) => number) => [...items].sort((x, y) => at(x) - at(y));
  const moved = movedInCut(
    byRecord(
      live.filter((s) => s.request.editorial),
      (s) => s.request.editorial?.recordIn ?? 0,
    ).map((s) => code(s.request)),
    byRecord(shots, (s) => s.recordIn).map(code),
  );
  const entries: TurnoverEntry[] = [];
  for (const shot of shots)
    entries.push(
      await applyShot(shot, byCode.get(code(shot)), moved.has(code(shot)), mapping, write, sink, {
        turnoverId: options.turnoverId,
        cancelled: cancelled.get(code(shot)),
      }),
    );
  entries.push(...invalid);
  entries.sort((a, b) => (a.event ?? 0) - (b.event ?? 0));

  const inCut = new Set([...shots, ...invalid].map(code));
  const omitted = live
    .filter((s) => s.request.editorial && !inCut.has(code(s.request)))
    .filter((s) => !mapping.episode || s.request.episode === mapping.episode)
    .sort((a, b) => code(a.request).localeCompare(code(b.request)));
  for (const s of omitted)
    entries.push({
      sequence: s.request.sequence,
      shot: s.request.shot,
      ...(s.request.episode ? { episode: s.request.episode } : {}),
      change: 'omitted',
      shotId: s.id,
      state: s.state,
      action: 'reported',
      message: `no longer in the cut; it is not cancelled: cancel it with a reason if it is out (shotcaller cancel ${s.id} --reason …)`,
    });

  const report: TurnoverReport = {
    turnoverId: options.turnoverId,
    show: mapping.show,
    file: options.file,
    cut: cut.name,
    format: cut.adapter,
    rate: mapping.rate,
    dropFrame: mapping.dropFrame,
    handles: mapping.handles,
    by: options.by,
    dryRun: options.dryRun,
    partial: options.partial,
    applied,
    entries,
    at: options.now.toISOString(),
  };
  if (write) await sink.record(report);
  return report;
}

async function applyShot(
  shot: TurnoverShot,
  existing: (ExistingShot & { route?: string; vendorWorkflowId?: string }) | undefined,
  reordered: boolean,
  mapping: TurnoverMapping,
  write: boolean,
  sink: TurnoverSink,
  context: { turnoverId: string; cancelled: ExistingShot | undefined },
): Promise<TurnoverEntry> {
  const base = {
    sequence: shot.sequence,
    shot: shot.shot,
    ...(shot.episode ? { episode: shot.episode } : {}),
    clip: shot.clip,
    event: shot.event,
    duration: shot.duration,
    frameRange: frameRangeOf(shot, mapping),
    sourceIn: shot.timecodes.sourceIn,
    sourceOut: shot.timecodes.sourceOut,
  };
  if (!existing) {
    // A cancelled shot stays cancelled: a shot back in the cut is a new shot, under a key of its own.
    const back = context.cancelled;
    const reinstated = back
      ? { message: `back in the cut: shot ${back.id} was cancelled, so this is a new shot` }
      : {};
    if (!write) return { ...base, change: 'new', action: 'would-create', ...reinstated };
    const request = newRequest(shot, mapping);
    try {
      const { shotId } = await sink.submit(
        back ? { ...request, idempotencyKey: `${request.idempotencyKey}:${context.turnoverId}` } : request,
      );
      return { ...base, change: 'new', shotId, state: 'submitted', action: 'created', ...reinstated };
    } catch (error) {
      // Submitted by someone else since the show's shots were read: one shot per code, so that one stays.
      if (!(error instanceof ShotCodeTaken)) throw error;
      return {
        ...base,
        change: 'new',
        shotId: error.shotId,
        state: error.state,
        action: 'reported',
        message: `not created: shot ${error.shotId} with its code was submitted while the cut was read; import the turnover again to compare the cut with it`,
      };
    }
  }
  const comparison = compareShot(shot, existing, mapping.handles, reordered);
  const found = { ...base, ...comparison, shotId: existing.id, state: existing.state };
  if (comparison.change === 'unchanged') return { ...found, action: 'none' };
  const what = describeChange(shot, comparison);
  if (revisableStates.includes(existing.state)) {
    if (!write) return { ...found, action: 'would-revise', message: what };
    try {
      await sink.revise(existing.id, revisedRequest(existing.request, shot, mapping));
      return { ...found, action: 'revised', message: what };
    } catch (error) {
      // Work started between reading the shot and revising it: it is reported like any started shot.
      if (!(error instanceof RevisionRefused)) throw error;
    }
  }
  const message = `${what}; the shot is ${existing.state}, so it is not revised: the TD decides`;
  let action: TurnoverAction = 'reported';
  if (write && existing.route === 'vendor' && existing.vendorWorkflowId && sink.postToTicket)
    if (await sink.postToTicket(existing, `Editorial re-turnover: ${what}.`)) action = 'posted-to-ticket';
  return { ...found, action, message };
}
