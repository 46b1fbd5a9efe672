import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import {
  errorMessage,
  type FieldIssue,
  parsePerformerList,
  repeatedShotCodes,
  ShotcallerError,
  ShotRequest,
  shotCodeOf,
  toFieldIssues,
  ValidationFailed,
} from '@shotcaller/contracts';
import { parse as parseCsv } from 'csv-parse/sync';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';

/** One shot read from a file, with where it came from so an error can point at it. */
export interface ShotEntry {
  file: string;
  line: number;
  input: unknown;
}

export interface EntryProblem {
  file: string;
  line: number;
  issues: FieldIssue[];
}

export class ShotFileUnreadable extends ShotcallerError {
  readonly code = 'shot_file_unreadable';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/**
 * CSV columns a coordinator's shot list may have, and the ShotRequest field each fills. Lists
 * (territories, performers, reference assets) are separated by `;`; a performer is
 * `id|name|union|role|likeness` (the last three optional).
 */
export const csvColumns: Record<string, string> = {
  show: 'show',
  episode: 'episode',
  sequence: 'sequence',
  shot: 'shot',
  frame_in: 'frames.start',
  frame_out: 'frames.end',
  fps: 'fps',
  width: 'resolution.width',
  height: 'resolution.height',
  brief: 'brief',
  brief_provenance: 'briefProvenance',
  category: 'category',
  complexity: 'complexity',
  deliverable: 'deliverable',
  territories: 'territories',
  deadline: 'deadline',
  budget_line: 'budgetLine',
  route: 'requestedRoute',
  priority: 'priority',
  performers: 'performers',
  reference_assets: 'referenceAssets',
  idempotency_key: 'idempotencyKey',
};

const numeric = new Set(['frame_in', 'frame_out', 'fps', 'width', 'height']);
const list = (v: string) =>
  v
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);

function csvRowToInput(row: Record<string, string>, file: string, line: number): unknown {
  const unknownColumns = Object.keys(row).filter((c) => !(c in csvColumns));
  if (unknownColumns.length > 0) {
    throw new ShotFileUnreadable(
      file,
      `line ${line}: unknown column(s) ${unknownColumns.join(', ')}; see docs/cli.md for the columns`,
    );
  }
  const out: Record<string, unknown> = {};
  const set = (path: string, value: unknown) => {
    const keys = path.split('.');
    let node = out;
    for (const k of keys.slice(0, -1)) {
      node[k] ??= {};
      node = node[k] as Record<string, unknown>;
    }
    node[keys.at(-1)!] = value;
  };
  for (const [column, raw] of Object.entries(row)) {
    const value = raw.trim();
    if (value === '') continue;
    const field = csvColumns[column]!;
    if (numeric.has(column)) set(field, /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value);
    else if (column === 'territories') set(field, list(value));
    else if (column === 'reference_assets')
      set(
        field,
        list(value).map((uri) => ({ uri })),
      );
    else if (column === 'performers') set(field, parsePerformerList(list(value).join(';')));
    else set(field, value);
  }
  // A sheet re-submitted makes nothing new: the default key is the shot's place in the show.
  out.idempotencyKey ??= `csv:${row.show ?? ''}:${row.episode ?? ''}:${row.sequence ?? ''}:${row.shot ?? ''}`;
  return out;
}

function readCsv(file: string, text: string): ShotEntry[] {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parseCsv(text, {
      columns: true,
      skip_empty_lines: true,
      info: true,
      bom: true,
      trim: false,
    }) as never;
  } catch (error) {
    throw new ShotFileUnreadable(file, errorMessage(error));
  }
  return records.map(({ record, info }) => ({
    file,
    line: info.lines,
    input: csvRowToInput(record, file, info.lines),
  }));
}

/** JSON is read with the YAML parser (JSON is YAML) so each shot keeps its line number. */
function readYamlOrJson(file: string, text: string): ShotEntry[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new ShotFileUnreadable(file, `line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`);
  }
  let node: unknown = doc.contents;
  if (isMap(node) && node.has('shots')) node = node.get('shots', true);
  const lineOf = (n: { range?: [number, number, number] | null } | null | undefined) =>
    counter.linePos(n?.range?.[0] ?? 0).line;
  if (isSeq(node))
    return node.items.map((item) => ({
      file,
      line: lineOf(item as never),
      input: (item as { toJSON(): unknown }).toJSON(),
    }));
  if (isMap(node)) return [{ file, line: lineOf(node), input: node.toJSON() }];
  throw new ShotFileUnreadable(file, 'expected a shot, a list of shots, or a mapping with a `shots:` list');
}

/** Reads shots from JSON, YAML or CSV files. */
export function readShotFiles(files: readonly string[]): ShotEntry[] {
  const entries: ShotEntry[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ShotFileUnreadable(
        file,
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(error),
      );
    }
    entries.push(
      ...(extname(file).toLowerCase() === '.csv' ? readCsv(file, text) : readYamlOrJson(file, text)),
    );
  }
  return entries;
}

/**
 * Validates every entry; returns the good requests and every problem with its file and line. A shot
 * code named twice (other than by the same shot sent twice) is a problem of the later line.
 */
export function validateEntries(entries: readonly ShotEntry[]): {
  valid: Array<ShotEntry & { request: ShotRequest }>;
  problems: EntryProblem[];
} {
  const parsed = entries.map((entry) => ({ entry, result: ShotRequest.safeParse(entry.input) }));
  const repeats = repeatedShotCodes(parsed.map(({ result }) => (result.success ? result.data : undefined)));
  const valid: Array<ShotEntry & { request: ShotRequest }> = [];
  const problems: EntryProblem[] = [];
  parsed.forEach(({ entry, result }, i) => {
    const first = repeats.get(i);
    if (!result.success)
      problems.push({ file: entry.file, line: entry.line, issues: toFieldIssues(result.error) });
    else if (first !== undefined) {
      const at = parsed[first]!.entry;
      problems.push({
        file: entry.file,
        line: entry.line,
        issues: [
          {
            path: 'shot',
            message: `repeats the shot code ${shotCodeOf(result.data)} of ${at.file}:${at.line}; one shot code is one shot`,
          },
        ],
      });
    } else valid.push({ ...entry, request: result.data });
  });
  return { valid, problems };
}

/** The one shot a file holds (a revision's new request), checked. */
export function readOneShot(file: string): ShotRequest {
  const entries = readShotFiles([file]);
  if (entries.length !== 1)
    throw new ShotFileUnreadable(file, `holds ${entries.length} shots; a revision takes exactly one`);
  const { valid, problems } = validateEntries(entries);
  if (problems[0]) throw new ValidationFailed(`shot in ${file}:${problems[0].line}`, problems[0].issues);
  return valid[0]!.request;
}
