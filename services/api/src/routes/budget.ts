import {
  BudgetLineInput,
  BudgetLineNotFound,
  BudgetProjection,
  BudgetVersionNotFound,
  burnSeries,
  compareRoutes,
  costReportCsv,
  ReportingCurrencyConflict,
  rollup,
  toMinor,
} from '@shotcaller/budget';
import {
  BudgetHistory,
  BudgetView,
  CurrencyCode,
  draftEvent,
  type EventDraft,
  eventCatalogue,
  eventFromDraft,
  makeEvent,
  ProviderSpend,
  RouteComparison,
} from '@shotcaller/contracts';
import { EventLog, eventSource, type Partitions, type RedisClient } from '@shotcaller/events';
import { z } from 'zod';
import { actorName, canSeeShow, type Principal } from '../auth';
import { Forbidden } from '../errors';
import { type RouteSpec, route } from '../route-spec';

const ShowQuery = z.strictObject({ show: z.string().min(1, 'name the show, e.g. ?show=NTH') });
const LineParams = z.strictObject({ id: BudgetLineInput.shape.id });
const LineBody = BudgetLineInput.omit({ id: true });

const VersionName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.,()-]{0,79}$/, 'must be a name such as "bid" or "revised after EP03"');
const VersionParams = z.strictObject({ id: BudgetLineInput.shape.id, version: VersionName });
const VersionBody = z.strictObject({
  show: BudgetLineInput.shape.show,
  currency: CurrencyCode,
  amount: BudgetLineInput.shape.amount,
  current: z.boolean().default(false).describe('make it the line’s budget now'),
  note: z.string().max(500).default(''),
});
const SelectBody = z.strictObject({
  show: BudgetLineInput.shape.show,
  version: VersionName,
  reason: z.string().min(1, 'say why the budget changes').max(500),
});
const CsvQuery = ShowQuery.extend({
  version: VersionName.optional().describe('compare with this version rather than the current budget'),
});
const ProviderSpendView = z.object({ show: z.string(), providers: z.array(ProviderSpend) });
const RouteComparisonView = z.object({ show: z.string(), routes: z.array(RouteComparison) });

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
  /** Records an event about a budget line (a version recorded or chosen) in its show's log. */
  const recordLineEvent = async (lineId: string, show: string, draft: EventDraft) => {
    const event = eventFromDraft(draft, {
      source: eventSource(partitions.deployment, 'api'),
      correlationId: lineId,
      subject: lineId,
      show,
    });
    await logOf(show).append(event);
    return event.data;
  };
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
        const byLine = rollup(rows, 'line', lines);
        const efc = new Map(byLine.map((l) => [l.key, l.efc]));
        return {
          show: query.show,
          reportingCurrency: lines[0]?.amount.currency ?? rows[0]?.currency ?? null,
          versions: await projectionOf(query.show).versionComparisons(query.show, (id) => efc.get(id) ?? 0),
          lines: byLine,
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
      query: CsvQuery,
      responses: { 200: { description: 'RFC 4180 CSV', contentType: 'text/csv' } },
      handler: async ({ principal, query, reply }) => {
        assertShow(principal, query.show);
        const projection = projectionOf(query.show);
        const [rows, lines] = await Promise.all([projection.rows(query.show), projection.lines(query.show)]);
        // The line's budget is its current version's; `version` compares with another where the line has it.
        const compared = await projection.versionComparisons(query.show, () => 0);
        const versions = new Map<string, { version: string; budget: number | null }>();
        for (const l of compared) {
          const v = l.versions.find((x) => (query.version ? x.version === query.version : x.current));
          const line = lines.find((x) => x.id === l.lineId);
          if (v)
            versions.set(l.lineId, {
              version: v.version,
              budget: query.version ? v.budget : (line?.amount.amountMinor ?? v.budget),
            });
        }
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${query.show}-cost-report.csv"`);
        return costReportCsv(rows, lines, versions);
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
      responses: { 200: { description: 'One row per route', schema: RouteComparisonView } },
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
        const alerts: BudgetHistory['alerts'] = [];
        const missingRates: BudgetHistory['missingRates'] = [];
        for (const line of lines)
          for (const { event } of await logOf(query.show).bySubject(line.id)) {
            if (event.type === 'io.shotcaller.budget.threshold.crossed.v1')
              alerts.push({ at: event.time, ...event.data });
            if (event.type === 'io.shotcaller.budget.fx-rate.missing.v1') {
              const { lineId, shotId, from, to, date } = event.data;
              missingRates.push({ at: event.time, lineId, shotId, from, to, date });
            }
          }
        missingRates.sort((a, b) => a.at.localeCompare(b.at));
        alerts.sort((a, b) => a.at.localeCompare(b.at));
        return {
          show: query.show,
          burn: burnSeries(spend),
          alerts,
          missingRates,
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
      responses: {
        200: {
          description: 'The line as the ledger keeps it',
          schema: eventCatalogue['io.shotcaller.budget.line.configured.v1'],
        },
      },
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
      method: 'PUT',
      url: '/v1/budgets/lines/:id/versions/:version',
      summary:
        'Record a version of a budget line ("bid", "locked", …) with its amount and currency; `current` makes it the budget. Audited as an event',
      tag: 'budget',
      permission: 'budget:write',
      params: VersionParams,
      body: VersionBody,
      responses: { 200: { description: 'The version as recorded' } },
      handler: async ({ principal, params, body }) => {
        assertShow(principal, body.show);
        if (!(await projectionOf(body.show).lines(body.show)).some((l) => l.id === params.id))
          throw new BudgetLineNotFound(params.id, body.show);
        return recordLineEvent(
          params.id,
          body.show,
          draftEvent('io.shotcaller.budget.line.version.recorded.v1', {
            lineId: params.id,
            show: body.show,
            version: params.version,
            amount: { amountMinor: toMinor(body.amount, body.currency, 'amount'), currency: body.currency },
            current: body.current,
            by: actorName(principal),
            note: body.note,
          }),
        );
      },
    }),
    route({
      method: 'PUT',
      url: '/v1/budgets/lines/:id/current-version',
      summary: 'Make another version of a budget line its budget, saying why; audited as an event',
      tag: 'budget',
      permission: 'budget:write',
      params: LineParams,
      body: SelectBody,
      responses: { 200: { description: 'The change as recorded' } },
      handler: async ({ principal, params, body }) => {
        assertShow(principal, body.show);
        const { versions } = await projectionOf(body.show).versions(params.id);
        if (!versions.some((v) => v.version === body.version))
          throw new BudgetVersionNotFound(
            params.id,
            body.version,
            versions.map((v) => v.version),
          );
        return recordLineEvent(
          params.id,
          body.show,
          draftEvent('io.shotcaller.budget.line.version.selected.v1', {
            lineId: params.id,
            show: body.show,
            version: body.version,
            by: actorName(principal),
            reason: body.reason,
          }),
        );
      },
    }),
    route({
      method: 'POST',
      url: '/v1/budgets::rebuild',
      summary: 'Drop the ledger and rebuild it by replaying the event log (admin)',
      tag: 'budget',
      permission: 'admin:import',
      limit: 'expensive',
      responses: {
        200: { description: 'How many events were replayed', schema: z.object({ replayed: z.int() }) },
      },
      handler: async () => {
        let replayed = 0;
        for (const k of partitions.all) replayed += await projections[k]!.rebuild(logs[k]!);
        return { replayed };
      },
    }),
  ];
}
