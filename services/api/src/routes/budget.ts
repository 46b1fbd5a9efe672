import {
  BudgetLineInput,
  BudgetProjection,
  compareRoutes,
  costReportCsv,
  rollup,
  toMinor,
} from '@shotcaller/budget';
import { makeEvent, ShotcallerError } from '@shotcaller/contracts';
import { EventLog, eventSource, type Partitions, type RedisClient } from '@shotcaller/events';
import { z } from 'zod';
import { actorName, canSeeShow, type Principal } from '../auth';
import { Forbidden } from '../errors';
import { type RouteSpec, route } from '../route-spec';

const ShowQuery = z.strictObject({ show: z.string().min(1, 'name the show, e.g. ?show=NTH') });
const LineParams = z.strictObject({ id: BudgetLineInput.shape.id });
const LineBody = BudgetLineInput.omit({ id: true });

const MoneyView = z.object({ amountMinor: z.int(), currency: z.string() });
const RollupRow = z.object({
  key: z.string(),
  currency: z.string().describe('the reporting currency: the budget lines’'),
  originalCurrencies: z.array(z.string()).describe('the currencies the costs were billed in'),
  unconvertedShots: z.int().describe('shots with a cost whose exchange rate is missing'),
  unconvertedCommitted: z.array(MoneyView).describe('committed left out of the figures for want of a rate'),
  unconvertedActual: z.array(MoneyView).describe('actual left out of the figures for want of a rate'),
  shots: z.int(),
  frames: z.int(),
  estimate: z.int(),
  committed: z.int(),
  actual: z.int(),
  failedAttempts: z.int(),
  etc: z.int(),
  efc: z.int(),
  budget: z.int().optional(),
  variance: z.int().optional(),
});
const BudgetView = z.object({
  show: z.string(),
  reportingCurrency: z.string().nullable(),
  lines: z.array(RollupRow),
  byRoute: z.array(RollupRow),
  byEpisode: z.array(RollupRow),
  bySequence: z.array(RollupRow),
  total: z.array(RollupRow),
});

const Lost = z.object({ attempts: z.int(), amount: z.int() });
const ProviderSpendView = z.object({
  show: z.string(),
  providers: z.array(
    z.object({
      provider: z.string(),
      currency: z.string(),
      attempts: z.int(),
      actual: z.int(),
      failedAttempts: z.int(),
      byOutcome: z.object({ failed: Lost, cancelled: Lost, 'timed-out': Lost }),
    }),
  ),
});

const BudgetHistory = z.object({
  show: z.string(),
  burn: z.array(z.object({ at: z.string(), actual: z.int(), currency: z.string() })),
  alerts: z.array(
    z.object({
      at: z.string(),
      lineId: z.string(),
      show: z.string(),
      thresholdPercent: z.number(),
      direction: z.enum(['up', 'down']),
      measure: z.string(),
      value: z.object({ amountMinor: z.int(), currency: z.string() }),
      budget: z.object({ amountMinor: z.int(), currency: z.string() }),
    }),
  ),
});

/** A budget line in another currency than the show's other lines, which set its reporting currency. */
class ReportingCurrencyConflict extends ShotcallerError {
  readonly code = 'reporting_currency_conflict';
  constructor(
    readonly show: string,
    readonly reporting: string,
    readonly given: string,
  ) {
    super(
      `Show ${show} reports in ${reporting}, the currency of its budget lines: give this line's amount in ${reporting} (costs in ${given} are converted at the rates of their dates)`,
    );
  }
}

function assertShow(principal: Principal, show: string): void {
  if (!canSeeShow(principal, show)) throw new Forbidden(`This token may not see show ${show}`);
}

/** The accountant's routes: the roll-up, the CSV cost report, genai against vendor, budget lines. */
export function budgetRoutes(deps: { redis: RedisClient; partitions: Partitions }): RouteSpec[] {
  const { partitions } = deps;
  // A show's ledger, like its events, is in the show's partition.
  const projections = partitions.all.map((k) => new BudgetProjection(deps.redis, partitions.keyspace(k)));
  const logs = partitions.all.map((k) => new EventLog(deps.redis, { deployment: partitions.keyspace(k) }));
  const projectionOf = (show: string) => projections[partitions.ofShow(show)]!;
  const logOf = (show: string) => logs[partitions.ofShow(show)]!;
  return [
    route({
      method: 'GET',
      url: '/v1/budgets',
      summary:
        'Budget, estimate, committed, actual, ETC, EFC and variance by line, route, episode and sequence (minor units)',
      tag: 'budget',
      permission: 'budget:read',
      query: ShowQuery,
      responses: { 200: { description: 'The roll-up', schema: BudgetView } },
      handler: async ({ principal, query }) => {
        assertShow(principal, query.show);
        const [rows, lines] = await Promise.all([
          projectionOf(query.show).rows(query.show),
          projectionOf(query.show).lines(query.show),
        ]);
        return {
          show: query.show,
          reportingCurrency: lines[0]?.amount.currency ?? rows[0]?.currency ?? null,
          lines: rollup(rows, 'line', lines),
          byRoute: rollup(rows, 'route'),
          byEpisode: rollup(rows, 'episode'),
          bySequence: rollup(rows, 'sequence'),
          total: rollup(rows, 'show'),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/v1/budgets/report.csv',
      summary: 'The cost report as CSV, one row per shot (amounts in major units)',
      tag: 'budget',
      permission: 'budget:read',
      query: ShowQuery,
      responses: { 200: { description: 'RFC 4180 CSV', contentType: 'text/csv' } },
      handler: async ({ principal, query, reply }) => {
        assertShow(principal, query.show);
        const [rows, lines] = await Promise.all([
          projectionOf(query.show).rows(query.show),
          projectionOf(query.show).lines(query.show),
        ]);
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${query.show}-cost-report.csv"`);
        return costReportCsv(rows, lines);
      },
    }),
    route({
      method: 'GET',
      url: '/v1/budgets/compare',
      summary:
        'Genai against vendor: shots, cost per shot and per frame, turnaround median and 90th percentile',
      tag: 'budget',
      permission: 'budget:read',
      query: ShowQuery,
      responses: { 200: { description: 'One row per route' } },
      handler: async ({ principal, query }) => {
        assertShow(principal, query.show);
        return { show: query.show, routes: compareRoutes(await projectionOf(query.show).rows(query.show)) };
      },
    }),
    route({
      method: 'GET',
      url: '/v1/budgets/providers',
      summary:
        'What each genai provider was paid, and how much of it went on attempts that failed, were cancelled or timed out',
      tag: 'budget',
      permission: 'budget:read',
      query: ShowQuery,
      responses: { 200: { description: 'One row per provider (minor units)', schema: ProviderSpendView } },
      handler: async ({ principal, query }) => {
        assertShow(principal, query.show);
        return { show: query.show, providers: await projectionOf(query.show).providerSpend(query.show) };
      },
    }),
    route({
      method: 'GET',
      url: '/v1/budgets/history',
      summary: 'The burn over time (actual spend, cumulative) and the threshold alerts of a show',
      tag: 'budget',
      permission: 'budget:read',
      query: ShowQuery,
      responses: { 200: { description: 'Burn points and alerts', schema: BudgetHistory } },
      handler: async ({ principal, query }) => {
        assertShow(principal, query.show);
        // The ledger's facts give the spend, and each line's crossings are indexed under the line:
        // no scan of the whole log on a page that refreshes with every event.
        const [spend, lines] = await Promise.all([
          projectionOf(query.show).spending(query.show),
          projectionOf(query.show).lines(query.show),
        ]);
        const alerts: z.infer<typeof BudgetHistory>['alerts'] = [];
        for (const line of lines)
          for (const { event } of await logOf(query.show).bySubject(line.id))
            if (event.type === 'io.shotcaller.budget.threshold.crossed.v1')
              alerts.push({ at: event.time, ...event.data });
        alerts.sort((a, b) => a.at.localeCompare(b.at));
        let total = 0;
        const burn = spend.map((s) => {
          total += s.amount.amountMinor;
          return { at: s.at, actual: total, currency: s.amount.currency };
        });
        // A chart needs a few hundred points at most; keep the last of each step.
        const step = Math.max(1, Math.ceil(burn.length / 300));
        return {
          show: query.show,
          burn: burn.filter((_, i) => i % step === step - 1 || i === burn.length - 1),
          alerts,
        };
      },
    }),
    route({
      method: 'PUT',
      url: '/v1/budgets/lines/:id',
      summary:
        'Set a budget line (amount in major units as a string, thresholds in percent); audited as an event',
      tag: 'budget',
      permission: 'budget:write',
      params: LineParams,
      body: LineBody,
      responses: { 200: { description: 'The line as the ledger keeps it' } },
      handler: async ({ principal, params, body }) => {
        assertShow(principal, body.show);
        // A show reports in one currency, its lines': a line in another would make its roll-up impossible.
        const other = (await projectionOf(body.show).lines(body.show)).find(
          (l) => l.id !== params.id && l.amount.currency !== body.currency,
        );
        if (other) throw new ReportingCurrencyConflict(body.show, other.amount.currency, body.currency);
        const amount = {
          amountMinor: toMinor(body.amount, body.currency, 'amount'),
          currency: body.currency,
        };
        const event = makeEvent(
          'io.shotcaller.budget.line.configured.v1',
          {
            lineId: params.id,
            show: body.show,
            ...(body.episode ? { episode: body.episode } : {}),
            ...(body.sequence ? { sequence: body.sequence } : {}),
            amount,
            thresholdsPercent: [...body.thresholdsPercent].sort((a, b) => a - b),
            by: actorName(principal),
          },
          { source: eventSource(partitions.deployment, 'api'), correlationId: params.id, show: body.show },
        );
        await logOf(body.show).append(event);
        return event.data;
      },
    }),
    route({
      method: 'POST',
      url: '/v1/budgets::rebuild',
      summary: 'Drop the ledger and rebuild it by replaying the event log (admin)',
      tag: 'budget',
      permission: 'admin:import',
      limit: 'expensive',
      responses: { 200: { description: 'How many events were replayed' } },
      handler: async () => {
        let replayed = 0;
        for (const k of partitions.all) replayed += await projections[k]!.rebuild(logs[k]!);
        return { replayed };
      },
    }),
  ];
}
