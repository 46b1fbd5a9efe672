import { formatMoney } from '@shotcaller/contracts';
import type { Command } from 'commander';
import { z } from 'zod';
import { json, table } from '../output';
import type { CommandContext } from './shots';

const Row = z.object({
  key: z.string(),
  currency: z.string(),
  shots: z.int(),
  estimate: z.int(),
  committed: z.int(),
  actual: z.int(),
  etc: z.int(),
  efc: z.int(),
  budget: z.int().optional(),
  variance: z.int().optional(),
});
const View = z
  .object({ show: z.string(), lines: z.array(Row), byRoute: z.array(Row), total: z.array(Row) })
  .loose();

export function registerBudgetCommands(program: Command, ctx: CommandContext): void {
  const budget = program.command('budget').description("the production accountant's ledger");
  budget
    .command('show', { isDefault: true })
    .description('budget, estimate, committed, actual, ETC, EFC and variance by line and by route')
    .requiredOption('--show <code>', 'show code')
    .action(async (opts: { show: string }) => {
      const { data } = await ctx
        .client()
        .request('GET', `/v1/budgets?show=${encodeURIComponent(opts.show)}`, View);
      if (ctx.asJson()) return ctx.io.out(json(data));
      const m = (n: number | undefined, c: string) =>
        n === undefined ? '' : formatMoney({ amountMinor: n, currency: c });
      const rows = (rs: z.infer<typeof Row>[]) =>
        rs.map((r) => [
          r.key,
          r.shots,
          m(r.budget, r.currency),
          m(r.estimate, r.currency),
          m(r.committed, r.currency),
          m(r.actual, r.currency),
          m(r.etc, r.currency),
          m(r.efc, r.currency),
          m(r.variance, r.currency),
        ]);
      const head = ['', 'shots', 'budget', 'estimate', 'committed', 'actual', 'ETC', 'EFC', 'variance'];
      ctx.io.out(`Budget lines of ${data.show}\n${table(['line', ...head.slice(1)], rows(data.lines))}`);
      ctx.io.out(`By route\n${table(['route', ...head.slice(1)], rows(data.byRoute))}`);
    });
  budget
    .command('report')
    .description('the cost report, one row per shot')
    .requiredOption('--show <code>', 'show code')
    .option('--csv', 'as CSV (the default)')
    .action(async (opts: { show: string }) => {
      ctx.io.out(
        await ctx.client().text('GET', `/v1/budgets/report.csv?show=${encodeURIComponent(opts.show)}`),
      );
    });
  budget
    .command('compare')
    .description('genai against vendor: cost per shot and per frame, turnaround')
    .requiredOption('--show <code>', 'show code')
    .action(async (opts: { show: string }) => {
      const { data } = await ctx
        .client()
        .request(
          'GET',
          `/v1/budgets/compare?show=${encodeURIComponent(opts.show)}`,
          z.object({ routes: z.array(z.record(z.string(), z.unknown())) }).loose(),
        );
      ctx.io.out(json(data));
    });
  budget
    .command('rebuild')
    .description('drop the ledger and replay the event log into it (admin)')
    .action(async () => {
      const { data } = await ctx
        .client()
        .request('POST', '/v1/budgets:rebuild', z.object({ replayed: z.int() }), {});
      ctx.io.out(ctx.asJson() ? json(data) : `ledger rebuilt from ${data.replayed} events`);
    });
}
