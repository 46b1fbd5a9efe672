import { readFileSync } from 'node:fs';
import { formatMoney } from '@shotcaller/contracts';
import { formatWhole, labourComparisonRows } from '@shotcaller/reports';
import {
  budgetLineRow,
  budgetLinesHead,
  type Comparison,
  comparisonHead,
  comparisonRow,
  SimulationReport,
  simulationCsv,
} from '@shotcaller/simulation';
import type { Command } from 'commander';
import { json, table } from '../output';
import type { CommandContext } from './shots';

/** The terminal rendering of a what-if: changed shots, sums, budget lines, holds. */
export function renderSimulation(report: SimulationReport): string {
  const m = (n: number) => formatMoney({ amountMinor: n, currency: report.currency || 'USD' });
  const signed = (n: number) => (n > 0 ? `+${m(n)}` : n < 0 ? `-${m(-n)}` : m(0));
  const compareRows = (rows: Comparison[]) => rows.map((r) => comparisonRow(r, m, signed));
  const compareHead = ['', ...comparisonHead];
  const changed = report.shots.filter((s) => s.routeChanged);
  const out = [
    `What-if for ${report.show}${report.scope.episode ? ` / ${report.scope.episode}` : ''}${report.scope.sequence ? ` / ${report.scope.sequence}` : ''} under policy ${report.candidatePolicy.id} (${report.candidatePolicy.version.slice(0, 12)}), log read up to ${report.snapshot.upTo}`,
    '',
    `SHOTS WHOSE ROUTE WOULD CHANGE (${changed.length} of ${report.shots.length})`,
    table(
      ['shot', 'category', 'actual', 'why', 'cost', 'candidate', 'why', 'cost', 'turnaround p50/p90 h'],
      changed.map((s) => [
        s.shot,
        s.category,
        s.actual.route,
        s.actual.decidedBy,
        `${m(s.actual.cost.amountMinor)} (${s.actual.basis})`,
        s.candidate.route,
        s.candidate.decidedBy,
        `${m(s.candidate.cost.amountMinor)} (${s.candidate.basis})`,
        s.candidate.turnaround.medianHours === null
          ? ''
          : `${s.candidate.turnaround.medianHours}/${s.candidate.turnaround.p90Hours} (${s.candidate.turnaround.basis})`,
      ]),
    ),
    '',
    'BY ROUTE',
    table(['route', ...compareHead.slice(1)], compareRows(report.byRoute)),
    'BY SEQUENCE',
    table(['sequence', ...compareHead.slice(1)], compareRows(report.bySequence)),
    'TOTAL',
    table(compareHead, compareRows([report.totals])),
  ];
  if (report.budgetLines.length > 0) {
    out.push(
      '',
      'BUDGET LINES',
      table(
        budgetLinesHead,
        report.budgetLines.map((l) => budgetLineRow(l, m)),
      ),
    );
  }
  const whole = (n: number) => formatWhole(n, report.currency || 'USD');
  out.push(
    '',
    'LABOUR (estimates recorded at routing on the actual side, the candidate rate cards on the other; docs/labour-impact.md)',
    table(
      ['', 'actual', 'candidate'],
      labourComparisonRows(whole, report.labour.actual, report.labour.candidate),
    ),
  );
  out.push(
    '',
    `COMPLIANCE: ${report.compliance.actualHolds} held as routed, ${report.compliance.candidateHolds} under the candidate`,
  );
  for (const h of report.compliance.newHolds) {
    out.push(`  ${h.shot} would be held (${h.ruleIds.join(', ')})`);
    for (const miss of h.missing) out.push(`    missing ${miss.kind}: ${miss.description}`);
  }
  if (report.skipped.length > 0)
    out.push('', `Left out: ${report.skipped.map((s) => `${s.shotId} (${s.reason})`).join(', ')}`);
  out.push(
    '',
    'Figures marked (actual) are money spent; (estimate) come from the rate cards; held shots are not costed.',
  );
  return out.join('\n');
}

export function registerSimulateCommand(program: Command, ctx: CommandContext): void {
  program
    .command('simulate')
    .description(
      'what-if: replay a show under another routing policy and compare cost, turnaround and compliance (writes nothing)',
    )
    .requiredOption('--show <code>', 'show code')
    .requiredOption('--policy <file>', 'the candidate routing policy (YAML)')
    .option('--rates <file>', 'other rate cards (YAML); the ones in force when absent')
    .option('--episode <code>', 'only this episode')
    .option('--sequence <code>', 'only this sequence')
    .option('--csv', 'one row per shot, as CSV')
    .action(
      async (opts: {
        show: string;
        policy: string;
        rates?: string;
        episode?: string;
        sequence?: string;
        csv?: boolean;
      }) => {
        const body = {
          show: opts.show,
          policy: readFileSync(opts.policy, 'utf8'),
          ...(opts.rates ? { rates: readFileSync(opts.rates, 'utf8') } : {}),
          ...(opts.episode ? { episode: opts.episode } : {}),
          ...(opts.sequence ? { sequence: opts.sequence } : {}),
        };
        const { data } = await ctx.client().request('POST', '/v1/simulations', SimulationReport, body);
        if (opts.csv) return ctx.io.out(simulationCsv(data).trimEnd());
        ctx.io.out(ctx.asJson() ? json(data) : renderSimulation(data));
      },
    );
}
