import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type BudgetRollupRow, BudgetView, formatMoney } from '@shotcaller/contracts';
import type { Command } from 'commander';
import { z } from 'zod';
import { json, table } from '../output';
import type { CommandContext } from './shots';

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

const Group = z.object({
  key: z.string(),
  shots: z.int(),
  meanErrorPercent: z.number(),
  medianErrorPercent: z.number(),
  p10ErrorPercent: z.number(),
  p90ErrorPercent: z.number(),
  stdDevPercent: z.number(),
});
const Accuracy = z
  .object({
    show: z.string(),
    currency: z.string(),
    settledShots: z.int(),
    leftOut: z.int(),
    by: z.record(z.string(), z.array(Group)),
    overTime: z.array(Group.extend({ period: z.string() })),
    rateCardCorrection: z.object({
      suggestions: z.array(
        z.object({
          path: z.string(),
          shots: z.int(),
          factor: z.number(),
          before: z.string(),
          after: z.string(),
        }),
      ),
      rateCards: z.string().nullable(),
    }),
  })
  .loose();

const pct = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(1)}%`;

export function registerBudgetCommands(program: Command, ctx: CommandContext): void {
  const budget = program.command('budget').description("the production accountant's ledger");
  budget
    .command('show', { isDefault: true })
    .description('budget, estimate, committed, actual, ETC, EFC and variance by line and by route')
    .requiredOption('--show <code>', 'show code')
    .action(async (opts: { show: string }) => {
      const { data } = await ctx
        .client()
        .request('GET', `/v1/budgets?show=${encodeURIComponent(opts.show)}`, BudgetView);
      if (ctx.asJson()) return ctx.io.out(json(data));
      const m = (n: number | undefined, c: string) =>
        n === undefined ? '' : formatMoney({ amountMinor: n, currency: c });
      const rows = (rs: BudgetRollupRow[]) =>
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
  budget
    .command('accuracy')
    .description(
      'how far estimates were from what settled shots cost, and the rate-card correction it suggests',
    )
    .requiredOption('--show <code>', 'show code')
    .option('--period <week|month>', 'the periods of "over time"', 'week')
    .option('--min-shots <n>', 'fewest settled shots a correction rests on', '3')
    .option('--rates-out <file>', 'write the corrected rate cards here, for `shotcaller simulate --rates`')
    .action(async (opts: { show: string; period: string; minShots: string; ratesOut?: string }) => {
      const q = new URLSearchParams({ show: opts.show, period: opts.period, minShots: opts.minShots });
      const { data } = await ctx.client().request('GET', `/v1/budgets/accuracy?${q}`, Accuracy);
      if (opts.ratesOut && data.rateCardCorrection.rateCards)
        writeFileSync(opts.ratesOut, data.rateCardCorrection.rateCards);
      if (ctx.asJson()) return ctx.io.out(json(data));
      ctx.io.out(
        `Estimate accuracy of ${data.show}: ${data.settledShots} settled shots (${data.leftOut} left out: a cost with no exchange rate, or no estimate); error = (actual − estimate) / estimate`,
      );
      const head = ['', 'shots', 'mean', 'median', 'p10', 'p90', 'std dev'];
      const rows = (gs: z.infer<typeof Group>[]) =>
        gs.map((g) => [
          g.key,
          g.shots,
          pct(g.meanErrorPercent),
          pct(g.medianErrorPercent),
          pct(g.p10ErrorPercent),
          pct(g.p90ErrorPercent),
          `${g.stdDevPercent.toFixed(1)}%`,
        ]);
      for (const [by, groups] of Object.entries(data.by))
        if (groups.length > 0) ctx.io.out(`By ${by}\n${table([by, ...head.slice(1)], rows(groups))}`);
      ctx.io.out(
        `Over time\n${table(['period', ...head.slice(1)], rows(data.overTime.map((g) => ({ ...g, key: g.period }))))}`,
      );
      const { suggestions } = data.rateCardCorrection;
      if (suggestions.length === 0) return ctx.io.out('No rate-card correction suggested.');
      ctx.io.out(
        `Suggested rate-card correction\n${table(
          ['rate', 'shots', 'factor', 'now', 'suggested'],
          suggestions.map((s) => [s.path, s.shots, `×${s.factor}`, s.before, s.after]),
        )}`,
      );
      if (opts.ratesOut)
        ctx.io.out(
          `Corrected rate cards written to ${opts.ratesOut}: replay them with \`shotcaller simulate --show ${data.show} --policy POLICY --rates ${opts.ratesOut}\``,
        );
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
