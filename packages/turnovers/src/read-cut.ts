import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { parseOrThrow } from '@shotcaller/contracts';
import { repoRoot } from '@shotcaller/engines';
import { type CutDocument, CutDocument as CutDocumentSchema } from './cut-document';
import { CutUnreadable, OtioMissing } from './errors';

const run = promisify(execFile);
const script = new URL('./python/read_cut.py', import.meta.url).pathname;

/** The Python with OpenTimelineIO: `SHOTCALLER_OTIO_PYTHON`, else the one the bootstrap pins into .tools/venv. */
export function otioPython(): string {
  const python = process.env.SHOTCALLER_OTIO_PYTHON ?? join(repoRoot(), '.tools/venv/bin/python');
  try {
    accessSync(python, constants.X_OK);
  } catch {
    throw new OtioMissing(python, 'no such executable');
  }
  return python;
}

export interface ReadOptions {
  /** The show's frame rate: an EDL is read at it, and the timecodes are printed at it. */
  rate: number;
  dropFrame: boolean;
}

/** Reads a cut file (.edl, .xml, .otio) with OpenTimelineIO. */
export async function readCut(path: string, options: ReadOptions): Promise<CutDocument> {
  const python = otioPython();
  const args = [
    script,
    path,
    '--rate',
    String(options.rate),
    '--drop-frame',
    options.dropFrame ? 'yes' : 'no',
  ];
  let stdout: string;
  try {
    ({ stdout } = await run(python, args, { maxBuffer: 64 * 1024 * 1024 }));
  } catch (error) {
    const { code, stderr } = error as { code?: number | string; stderr?: string };
    const reason = (stderr ?? '').trim().split('\n').at(-1) ?? String(error);
    if (/No module named 'opentimelineio'/.test(stderr ?? '')) throw new OtioMissing(python, reason);
    if (code === 2) throw new CutUnreadable(path, reason.replace(`${path}: `, ''));
    throw new CutUnreadable(path, `read_cut.py failed (${code}): ${reason}`);
  }
  let printed: unknown;
  try {
    printed = JSON.parse(stdout);
  } catch {
    throw new CutUnreadable(path, `read_cut.py printed no JSON (${stdout.slice(0, 200)})`);
  }
  return parseOrThrow(CutDocumentSchema, printed, `OpenTimelineIO output for ${path}`);
}

/** Reads a cut sent as text (an API upload): OTIO picks its adapter from the file name's extension. */
export async function readCutText(
  fileName: string,
  text: string,
  options: ReadOptions,
): Promise<CutDocument> {
  const extension = extname(fileName).toLowerCase();
  if (!['.edl', '.xml', '.otio'].includes(extension))
    throw new CutUnreadable(fileName, 'the file name must end in .edl, .xml or .otio, which says its format');
  const dir = await mkdtemp(join(tmpdir(), 'shotcaller-turnover-'));
  try {
    const path = join(dir, `cut${extension}`);
    await writeFile(path, text, 'utf8');
    try {
      return await readCut(path, options);
    } catch (error) {
      // Name the file as the caller knows it, not the temporary copy.
      if (error instanceof CutUnreadable)
        throw new CutUnreadable(fileName, error.message.replace(/^.*?: /, ''));
      throw error;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
