import {
  formatWhole,
  type LabourFigures,
  LabourImpactReport,
  labourGroupColumns,
  tenths,
} from '@shotcaller/reports';
import type { Command } from 'commander';
import { z } from 'zod';
import { json, table } from '../output';
import type { CommandContext } from './shots';

/** The terminal rendering of the labour impact report: totals, the splits, the returns, the bases. */
export function renderLabourImpact(report: LabourImpactReport): string {
  const c = report.currency || 'USD';
  const m = (n: number) => formatWhole(n, c);
  const t = report.totals;
  const { scope } = report;
  const columns = labourGroupColumns(m);
  const head = ['', ...columns.map(([heading]) => heading)];
  const rows = (groups: LabourFigures[]) => groups.map((g) => [g.key, ...columns.map(([, cell]) => cell(g))]);
  const returned = report.shots.filter((s) => s.returned);
  const out = [
    `Labour impact of routing for ${scope.show}${scope.episode ? ` / ${scope.episode}` : ''}${scope.sequence ? ` / ${scope.sequence}` : ''}, ${scope.from ?? 'from the start'} to ${scope.to ?? 'now'}${report.upTo ? ` (log read up to event ${report.upTo})` : ''}`,
    '',
    `${t.aiShots} shot(s) went to AI (${t.aiFrames} frames; ${t.aiShotsPreviouslyAtVendor} had been at a vendor). For them the vendor route was estimated at ${m(t.vendorWouldBeCost)}, ${tenths(t.vendorArtistDaysNotContracted)} artist-days not contracted (estimates recorded at routing).`,
    `Artist time still in the AI work: ${m(t.genaiArtistCost)}, ${tenths(t.genaiArtistDays)} artist-days (estimate); ${tenths(t.actualArtistHours)} hours recorded on ${t.aiShotsWithActual} shot(s).`,
    `${t.vendorShots} shot(s) went to vendors (${t.returnedShots} of them back from AI), estimated at ${m(t.vendorEstimateCost)}, ${tenths(t.vendorArtistDays)} artist-days. ${t.heldShots} held; left out: ${report.leftOut.cancelled} cancelled, ${report.leftOut.notYetRouted} not routed yet.`,
    ...(t.aiShotsWithoutLabourBasis > 0
      ? [
          `${t.aiShotsWithoutLabourBasis} AI shot(s) were routed without artist-days recorded: missing from the artist-day figures, not zero.`,
        ]
      : []),
    '',
    'BY SEQUENCE',
    table(['sequence', ...head.slice(1)], rows(report.bySequence)),
    'BY CATEGORY',
    table(['category', ...head.slice(1)], rows(report.byCategory)),
    'BY COMPLEXITY',
    table(['complexity', ...head.slice(1)], rows(report.byComplexity)),
    'BY WEEK (ISO, of the routing)',
    table(['week', ...head.slice(1)], rows(report.byWeek)),
  ];
  if (returned.length > 0)
    out.push(
      '',
      `RETURNED FROM AI TO A VENDOR (${returned.length}, counted once, on the vendor side)`,
      table(
        ['shot', 'when', 'why', 'reason'],
        returned.map((s) => [s.shot, s.returned!.at, s.returned!.cause, s.returned!.reason]),
      ),
    );
  out.push('', 'BASES', ...report.bases.map((b) => `- ${b.figure}: ${b.basis}`));
  return out.join('\n');
}

export function registerLabourCommands(program: Command, ctx: CommandContext): void {
  const report = program.command('report').description('reports folded from the event log');
  report
    .command('labour-impact')
    .description(
      'what routing work to AI took from crews and vendors: vendor estimates and artist-days not contracted, artist time on AI, returns to vendors',
    )
    .requiredOption('--show <code>', 'show code')
    .option('--episode <code>', 'only this episode')
    .option('--sequence <code>', 'only this sequence')
    .option('--from <date-time>', 'start of the period, inclusive (ISO 8601, e.g. 2026-11-01T00:00:00Z)')
    .option('--to <date-time>', 'end of the period, exclusive (ISO 8601)')
    .option(
      '--csv',
      'the CSV to hand to a union consultation: a header block of totals and bases, one row per shot',
    )
    .action(
      async (opts: {
        show: string;
        episode?: string;
        sequence?: string;
        from?: string;
        to?: string;
        csv?: boolean;
      }) => {
        const query = new URLSearchParams({ show: opts.show });
        for (const key of ['episode', 'sequence', 'from', 'to'] as const) {
          const value = opts[key];
          if (value) query.set(key, value);
        }
        if (opts.csv) {
          query.set('format', 'csv');
          return ctx.io.out((await ctx.client().text('GET', `/v1/reports/labour-impact?${query}`)).trimEnd());
        }
        const { data } = await ctx
          .client()
          .request('GET', `/v1/reports/labour-impact?${query}`, LabourImpactReport);
        ctx.io.out(ctx.asJson() ? json(data) : renderLabourImpact(data));
      },
    );

  program
    .command('artist-time')
    .description("record artist hours actually spent on a shot's AI work (adds to what is recorded)")
    .argument('<id>', 'shot id')
    .requiredOption('--hours <n>', 'hours spent, e.g. 6.5')
    .option('--note <text>', 'what the time went on')
    .option('--record-id <id>', 'your id for this record, so that running the command again counts it once')
    .action(async (id: string, opts: { hours: string; note?: string; recordId?: string }) => {
      const { data } = await ctx
        .client()
        .request(
          'POST',
          `/v1/shots/${encodeURIComponent(id)}/artist-time`,
          z.object({ eventId: z.string(), recorded: z.boolean(), hours: z.number() }).loose(),
          {
            hours: Number(opts.hours),
            ...(opts.note ? { note: opts.note } : {}),
            ...(opts.recordId ? { recordId: opts.recordId } : {}),
          },
        );
      ctx.io.out(
        ctx.asJson()
          ? json(data)
          : data.recorded
            ? `Recorded ${data.hours} artist hour(s) on ${id}.`
            : `Already recorded (${data.eventId}); nothing added.`,
      );
    });
}
