import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { formatMoney } from '@shotcaller/contracts';
import type { Command } from 'commander';
import { z } from 'zod';
import { json, table } from '../output';
import type { CommandContext } from './shots';

const MoneyView = z.object({ amountMinor: z.int(), currency: z.string() });
const Row = z.object({
  key: z.string(),
  currency: z.string(),
  unconvertedShots: z.int().default(0),
  unconvertedActual: z.array(MoneyView).default([]),
  unconvertedCommitted: z.array(MoneyView).default([]),
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
  .object({
    show: z.string(),
    reportingCurrency: z.string().nullable().default(null),
    lines: z.array(Row),
    byRoute: z.array(Row),
    total: z.array(Row),
  })
  .loose();
const Rates = z.object({
  rates: z.array(
    z.object({
      date: z.string(),
      from: z.string(),
      to: z.string(),
      rate: z.string(),
      recordedAt: z.string(),
    }),
  ),
});
const Recorded = z.object({
  eventId: z.string(),
  recorded: z.int(),
  corrected: z.array(
    z.object({ date: z.string(), from: z.string(), to: z.string(), before: z.string(), after: z.string() }),
  ),
});

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
      const reporting = data.reportingCurrency ? ` (reporting currency ${data.reportingCurrency})` : '';
      ctx.io.out(
        `Budget lines of ${data.show}${reporting}\n${table(['line', ...head.slice(1)], rows(data.lines))}`,
      );
      ctx.io.out(`By route\n${table(['route', ...head.slice(1)], rows(data.byRoute))}`);
      for (const l of data.lines.filter((x) => x.unconvertedShots > 0)) {
        const left = [
          ...l.unconvertedCommitted.map((x) => `committed ${formatMoney(x)}`),
          ...l.unconvertedActual.map((x) => `actual ${formatMoney(x)}`),
        ];
        ctx.io.out(
          `${l.key}: ${l.unconvertedShots} shot(s) with no exchange rate, not counted above: ${left.join(', ')}`,
        );
      }
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
  const rates = budget.command('rates').description('the exchange rates the ledger converts with');
  rates
    .command('list', { isDefault: true })
    .description('every rate held, by day and pair')
    .action(async () => {
      const { data } = await ctx.client().request('GET', '/v1/fx-rates', Rates);
      if (ctx.asJson()) return ctx.io.out(json(data));
      ctx.io.out(
        table(
          ['date', 'from', 'to', 'rate', 'recorded'],
          data.rates.map((r) => [r.date, r.from, r.to, r.rate, r.recordedAt]),
        ),
      );
    });
  rates
    .command('import <file>')
    .description('record the rates of a file: "date,from,to,rate" lines or the ECB reference-rate CSV')
    .option('--reason <text>', 'why (kept with the event, e.g. a correction)', '')
    .action(async (file: string, opts: { reason: string }) => {
      const { data } = await ctx.client().request('PUT', '/v1/fx-rates', Recorded, {
        csv: readFileSync(file, 'utf8'),
        source: basename(file),
        reason: opts.reason,
      });
      if (ctx.asJson()) return ctx.io.out(json(data));
      ctx.io.out(`recorded ${data.recorded} rates (event ${data.eventId})`);
      for (const c of data.corrected)
        ctx.io.out(`corrected ${c.date} ${c.from}→${c.to}: ${c.before} → ${c.after}`);
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
