import type { FieldIssue, ShotRequest } from '@shotcaller/contracts';
import { IdempotencyConflict, RevisionRefused, ShotCodeTaken } from '@shotcaller/shots';
import type { KitsuClient } from './kitsu-client';
import { type KitsuMapping, mapKitsuShot } from './mapping';

export interface ImportSink {
  submit(request: ShotRequest): Promise<{ shotId: string; created: boolean }>;
  /** Applies a Kitsu edit to the shot the request's key already made; throws when it may not change. */
  revise(shotId: string, request: ShotRequest): Promise<{ changed: string[] }>;
}

export interface ImportOptions {
  project: string;
  sequence?: string;
  /** The task Shotcaller works on and reports to, by task type name. */
  taskType: string;
  /** Only shots whose task is in this status (short name, e.g. `ready`). */
  status?: string;
  dryRun?: boolean;
}

export type ImportOutcome =
  | { kitsuShotId: string; shot: string; outcome: 'created' | 'unchanged'; shotId: string }
  | { kitsuShotId: string; shot: string; outcome: 'updated'; shotId: string; changed: string[] }
  | { kitsuShotId: string; shot: string; outcome: 'would-submit'; request: ShotRequest }
  /** Another live Shotcaller shot (`shotId`) has its shot code: nothing is made twice. */
  | { kitsuShotId: string; shot: string; outcome: 'code-taken'; shotId: string; issues: FieldIssue[] }
  | {
      kitsuShotId: string;
      shot: string;
      outcome: 'invalid' | 'changed-since-import' | 'skipped';
      issues: FieldIssue[];
    };

/**
 * Turns the matching Kitsu shots into shot requests and submits them, idempotent on the Kitsu shot
 * id: a second import creates nothing. Each shot is judged alone, so bad data on one is reported for
 * that shot and the rest still go in. A Kitsu shot whose code another live shot has (submitted by
 * hand, or a second Kitsu shot of one name) is reported as `code-taken` and skipped.
 */
export async function importFromKitsu(
  client: KitsuClient,
  mapping: KitsuMapping,
  options: ImportOptions,
  sink: ImportSink,
): Promise<ImportOutcome[]> {
  const project = await client.projectByName(options.project);
  const [episodes, sequences, shots, taskTypes, statuses] = await Promise.all([
    client.episodes(project.id),
    client.sequences(project.id),
    client.shots(project.id),
    client.taskTypes(),
    client.taskStatuses(),
  ]);
  const taskType = taskTypes.find((t) => t.name === options.taskType);
  if (!taskType)
    throw new Error(
      `Kitsu has no task type "${options.taskType}" (have: ${taskTypes.map((t) => t.name).join(', ')})`,
    );
  const status = options.status
    ? statuses.find((s) => s.short_name === options.status || s.name === options.status)
    : undefined;
  if (options.status && !status) throw new Error(`Kitsu has no task status "${options.status}"`);
  const taskOf = new Map((await client.tasksOfType(project.id, taskType.id)).map((t) => [t.entity_id, t]));
  const sequenceOf = new Map(sequences.map((s) => [s.id, s]));
  const episodeOf = new Map(episodes.map((e) => [e.id, e.name]));
  const out: ImportOutcome[] = [];
  for (const shot of shots.sort((a, b) => a.name.localeCompare(b.name))) {
    const sequence = shot.parent_id ? sequenceOf.get(shot.parent_id) : undefined;
    if (!sequence || (options.sequence && sequence.name !== options.sequence) || shot.canceled) continue;
    const base = { kitsuShotId: shot.id, shot: shot.name };
    const task = taskOf.get(shot.id);
    if (!task) {
      out.push({
        ...base,
        outcome: 'invalid',
        issues: [{ path: 'task', message: `no ${options.taskType} task on this shot (deleted?)` }],
      });
      continue;
    }
    if (status && task.task_status_id !== status.id) {
      out.push({
        ...base,
        outcome: 'skipped',
        issues: [{ path: 'task.status', message: `task is not ${status.short_name}` }],
      });
      continue;
    }
    const mapped = mapKitsuShot(
      {
        project,
        ...(sequence.parent_id && episodeOf.get(sequence.parent_id)
          ? { episode: episodeOf.get(sequence.parent_id)! }
          : {}),
        sequence: sequence.name,
        shot,
        taskId: task.id,
      },
      mapping,
    );
    if (!mapped.ok) {
      out.push({ ...base, outcome: 'invalid', issues: mapped.issues });
      continue;
    }
    if (options.dryRun) {
      out.push({ ...base, outcome: 'would-submit', request: mapped.request });
      continue;
    }
    out.push(await submitOrRevise(mapped.request, base, sink));
  }
  return out;
}

type Base = { kitsuShotId: string; shot: string };

async function submitOrRevise(request: ShotRequest, base: Base, sink: ImportSink): Promise<ImportOutcome> {
  try {
    const { shotId, created } = await sink.submit(request);
    return { ...base, outcome: created ? 'created' : 'unchanged', shotId };
  } catch (error) {
    if (error instanceof ShotCodeTaken) return codeTaken(base, error);
    if (!(error instanceof IdempotencyConflict)) throw error;
    // Edited in Kitsu since it was imported: the shot takes the change while its work has not started.
    try {
      const { changed } = await sink.revise(error.shotId, request);
      return { ...base, outcome: 'updated', shotId: error.shotId, changed };
    } catch (refusal) {
      // Renamed in Kitsu to a code another live shot has.
      if (refusal instanceof ShotCodeTaken) return codeTaken(base, refusal);
      if (!(refusal instanceof RevisionRefused)) throw refusal;
      return {
        ...base,
        outcome: 'changed-since-import',
        issues: [{ path: '', message: `${refusal.message}; the Kitsu edit is not applied` }],
      };
    }
  }
}

function codeTaken(base: Base, error: ShotCodeTaken): ImportOutcome {
  return {
    ...base,
    outcome: 'code-taken',
    shotId: error.shotId,
    issues: [{ path: 'shot', message: `${error.message}; this Kitsu shot is not imported` }],
  };
}
