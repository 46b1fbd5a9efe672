import type { Command } from 'commander';
import { z } from 'zod';
import { exitCodes } from '../exit-codes';
import { json, table } from '../output';
import type { CommandContext } from './shots';

const Results = z.object({
  results: z.array(
    z.object({
      shot: z.string(),
      kitsuShotId: z.string(),
      outcome: z.string(),
      shotId: z.string().optional(),
      changed: z.array(z.string()).optional(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  ),
});

export function registerKitsuCommands(program: Command, ctx: CommandContext): void {
  const kitsu = program.command('kitsu').description("the studio's Kitsu: import its shots (docs/kitsu.md)");
  kitsu
    .command('import')
    .description(
      'import a Kitsu project’s shots as shot requests (idempotent; bad shots are reported one by one)',
    )
    .requiredOption('--project <name>', 'the Kitsu project')
    .option('--sequence <name>', 'only this sequence')
    .option('--task-type <name>', 'the task Shotcaller works on and reports to', 'Compositing')
    .option('--status <short name>', 'only shots whose task has this status, e.g. ready')
    .option('--dry-run', 'print what would be submitted, submit nothing')
    .action(
      async (opts: {
        project: string;
        sequence?: string;
        taskType: string;
        status?: string;
        dryRun?: boolean;
      }) => {
        const { data } = await ctx.client().request('POST', '/v1/kitsu/import', Results, {
          project: opts.project,
          taskType: opts.taskType,
          dryRun: Boolean(opts.dryRun),
          ...(opts.sequence ? { sequence: opts.sequence } : {}),
          ...(opts.status ? { status: opts.status } : {}),
        });
        if (ctx.asJson()) ctx.io.out(json(data));
        else
          ctx.io.out(
            table(
              ['shot', 'outcome', 'shotcaller id', 'why'],
              data.results.map((r) => [
                r.shot,
                r.outcome,
                r.shotId,
                r.issues?.map((i) => `${i.path}: ${i.message}`).join('; '),
              ]),
            ),
          );
        const count = (o: string) => data.results.filter((r) => r.outcome === o).length;
        ctx.io.out(
          `${count('created')} created, ${count('updated')} updated, ${count('unchanged')} already imported, ${count('would-submit')} would be submitted, ${count('invalid') + count('changed-since-import')} need attention in Kitsu, ${count('code-taken')} not imported (their shot code is live)`,
        );
        if (count('invalid') + count('changed-since-import') + count('code-taken') > 0)
          ctx.setExit(exitCodes.failed);
      },
    );
}
