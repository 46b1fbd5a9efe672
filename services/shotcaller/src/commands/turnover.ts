import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type TurnoverEntry, TurnoverReport } from '@shotcaller/contracts';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { exitCodes } from '../exit-codes';
import { json, table } from '../output';
import type { CommandContext } from './shots';

interface ImportFlags {
  mapping?: string;
  show?: string;
  episode?: string;
  pattern?: string;
  track?: string;
  markerColor?: string;
  comment?: string;
  handles?: string;
  rate?: string;
  dropFrame?: boolean;
  budgetLine?: string;
  deadline?: string;
  dryRun?: boolean;
  partial?: boolean;
}

/** The mapping file, with the flags given on the command line over it; the API validates the result. */
async function mappingOf(flags: ImportFlags): Promise<Record<string, unknown>> {
  const fromFile = flags.mapping ? (parseYaml(await readFile(flags.mapping, 'utf8')) ?? {}) : {};
  if (typeof fromFile !== 'object' || Array.isArray(fromFile))
    throw new Error(`The mapping file ${flags.mapping} must hold a YAML mapping (show, budgetLine, …)`);
  const select = {
    ...((fromFile as { select?: object }).select ?? {}),
    ...(flags.track ? { track: flags.track } : {}),
    ...(flags.markerColor ? { markerColor: flags.markerColor } : {}),
    ...(flags.comment ? { comment: flags.comment } : {}),
  };
  return {
    ...fromFile,
    ...(flags.show ? { show: flags.show } : {}),
    ...(flags.episode ? { episode: flags.episode } : {}),
    ...(flags.pattern ? { pattern: flags.pattern } : {}),
    ...(flags.handles !== undefined ? { handles: Number(flags.handles) } : {}),
    ...(flags.rate !== undefined ? { rate: Number(flags.rate) } : {}),
    ...(flags.dropFrame ? { dropFrame: true } : {}),
    ...(flags.budgetLine ? { budgetLine: flags.budgetLine } : {}),
    ...(flags.deadline ? { deadline: flags.deadline } : {}),
    ...(Object.keys(select).length > 0 ? { select } : {}),
  };
}

function change(e: TurnoverEntry): string {
  if (e.change === 'lengthened' || e.change === 'shortened')
    return `${e.change} ${e.frames}f${e.withinHandles === undefined ? '' : e.withinHandles ? ' (in handles)' : ' (beyond handles)'}`;
  return e.change;
}

/** The report as a table a TD reads top to bottom: the cut's order, then what it dropped. */
export function reportTable(report: TurnoverReport): string {
  return table(
    ['event', 'shot', 'clip', 'change', 'frames', 'source', 'action', 'shotcaller id', 'why'],
    report.entries.map((e) => [
      e.event,
      e.sequence || e.shot ? `${e.sequence}_${e.shot}` : '',
      e.clip,
      change(e),
      e.frameRange ? `${e.frameRange.start}-${e.frameRange.end}` : '',
      e.sourceIn ? `${e.sourceIn}-${e.sourceOut}` : '',
      e.action,
      e.shotId,
      e.message,
    ]),
  );
}

function summary(report: TurnoverReport): string {
  const count = (c: TurnoverEntry['change']) => report.entries.filter((e) => e.change === c).length;
  const counts = (['new', 'unchanged', 'lengthened', 'shortened', 'moved', 'omitted', 'invalid'] as const)
    .map((c) => `${count(c)} ${c}`)
    .join(', ');
  const outcome = report.dryRun
    ? 'dry run: nothing was written'
    : report.applied
      ? `recorded as turnover ${report.turnoverId}`
      : 'the turnover is invalid and nothing was written (fix the clips above, or import the valid shots with --partial)';
  return `${report.file} (${report.cut}, ${report.format}, ${report.rate} fps${report.dropFrame ? ' DF' : ''}): ${counts}; ${outcome}`;
}

export function registerTurnoverCommands(program: Command, ctx: CommandContext): void {
  const turnover = program
    .command('turnover')
    .description('editorial turnovers: shots from the cut, and re-cuts that update them (docs/turnovers.md)');
  turnover
    .command('import <file>')
    .description('import an EDL (.edl), Final Cut Pro XML (.xml) or OpenTimelineIO (.otio) turnover')
    .option('--mapping <file>', 'the mapping (YAML): show, pattern, handles, rate, budgetLine, deadline, …')
    .option('--show <code>', 'the show (over the mapping file)')
    .option('--episode <code>', 'the episode every shot of this cut belongs to')
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the mapping's placeholder syntax, shown to the user
    .option('--pattern <pattern>', 'how VFX clips are named, e.g. ${sequence}_${shot}')
    .option('--track <name>', 'only clips on this video track')
    .option('--marker-color <colour>', 'only clips with a marker of this colour')
    .option('--comment <prefix>', 'only events with an EDL comment starting so, e.g. "VFX:"')
    .option('--handles <frames>', 'frames added on each side (default 8)')
    .option('--rate <fps>', "the show's frame rate: 23.976, 24, 25 or 29.97 (default 24)")
    .option('--drop-frame', '29.97 drop-frame timecode')
    .option('--budget-line <id>', 'the budget line new shots charge')
    .option('--deadline <iso>', 'when new shots are due (ISO 8601 with a time zone)')
    .option('--dry-run', 'show the report and the shots it would create; write nothing')
    .option('--partial', 'import the valid shots of an invalid turnover (without it, nothing is written)')
    .action(async (file: string, flags: ImportFlags) => {
      const content = await readFile(file, 'utf8');
      const { data } = await ctx.client().request('POST', '/v1/turnovers', TurnoverReport, {
        file: basename(file),
        content,
        mapping: await mappingOf(flags),
        dryRun: Boolean(flags.dryRun),
        partial: Boolean(flags.partial),
      });
      ctx.io.out(ctx.asJson() ? json(data) : `${reportTable(data)}\n${summary(data)}`);
      if (data.entries.some((e) => e.change === 'invalid')) ctx.setExit(exitCodes.failed);
    });
  turnover
    .command('list')
    .description("a show's turnovers, newest first, with the latest one's report")
    .requiredOption('--show <code>', 'the show')
    .option('--limit <n>', 'how many', '10')
    .action(async (flags: { show: string; limit: string }) => {
      const { data } = await ctx
        .client()
        .request(
          'GET',
          `/v1/turnovers?show=${encodeURIComponent(flags.show)}&limit=${encodeURIComponent(flags.limit)}`,
          z.object({ turnovers: z.array(TurnoverReport) }),
        );
      if (ctx.asJson()) return ctx.io.out(json(data));
      const [latest] = data.turnovers;
      if (!latest) return ctx.io.out(`No turnover of ${flags.show} yet`);
      ctx.io.out(
        table(
          ['turnover', 'at', 'file', 'cut', 'by', 'shots'],
          data.turnovers.map((t) => [t.turnoverId, t.at, t.file, t.cut, t.by, t.entries.length]),
        ),
      );
      ctx.io.out(`\nLatest: ${summary(latest)}\n${reportTable(latest)}`);
    });
}
