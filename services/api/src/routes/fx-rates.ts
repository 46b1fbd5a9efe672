import { BudgetProjection, parseFxRatesFile } from '@shotcaller/budget';
import { FxRate, makeEvent, ValidationFailed } from '@shotcaller/contracts';
import { EventLog, eventSource, type Partitions, type RedisClient } from '@shotcaller/events';
import { z } from 'zod';
import { actorName } from '../auth';
import { type RouteSpec, route } from '../route-spec';

const maxRates = 20_000;

const RatesBody = z
  .strictObject({
    rates: z.array(FxRate).min(1).max(maxRates).optional(),
    csv: z
      .string()
      .min(1)
      .max(5_000_000)
      .optional()
      .describe('a rates file: "date,from,to,rate" lines, or the ECB reference-rate CSV'),
    source: z.string().min(1).max(200).default('api'),
    reason: z.string().max(500).default(''),
  })
  .refine((b) => (b.rates === undefined) !== (b.csv === undefined), 'give either rates or csv, not both');

const StoredRate = FxRate.extend({ recordedAt: z.string(), eventId: z.string() });
const RatesView = z.object({ rates: z.array(StoredRate) });
const Recorded = z.object({
  eventId: z.string(),
  recorded: z.int(),
  corrected: z.array(
    z.object({ date: z.string(), from: z.string(), to: z.string(), before: z.string(), after: z.string() }),
  ),
});

/** Exchange rates for the ledger: recorded as an event in every partition's log, so each ledger and its rebuild see them. */
export function fxRateRoutes(deps: { redis: RedisClient; partitions: Partitions }): RouteSpec[] {
  const { partitions } = deps;
  const logs = partitions.all.map((k) => new EventLog(deps.redis, { deployment: partitions.keyspace(k) }));
  const first = new BudgetProjection(deps.redis, partitions.keyspace(partitions.all[0]!));
  return [
    route({
      method: 'GET',
      url: '/v1/fx-rates',
      summary: 'The exchange rates the ledger converts with, and the event that set each',
      tag: 'budget',
      permission: 'budget:read',
      responses: { 200: { description: 'One row per day and pair', schema: RatesView } },
      handler: async () => ({ rates: await first.fxRates() }),
    }),
    route({
      method: 'PUT',
      url: '/v1/fx-rates',
      summary:
        'Record exchange rates (JSON, or a rates file as `csv`); a rate for a day and pair already held is a correction, audited as an event',
      tag: 'budget',
      permission: 'budget:write',
      body: RatesBody,
      responses: {
        200: { description: 'What was recorded, and which rates it corrected', schema: Recorded },
      },
      handler: async ({ principal, body }) => {
        const rates = body.rates ?? parseFxRatesFile(body.csv!, body.source);
        // One event carries them all: a whole ECB history would make an event of megabytes.
        if (rates.length > maxRates)
          throw new ValidationFailed('exchange rates', [
            {
              path: 'csv',
              message: `${rates.length} rates; send at most ${maxRates} at once (the production's dates, not the whole history)`,
            },
          ]);
        const held = new Map((await first.fxRates()).map((r) => [`${r.from}:${r.to}:${r.date}`, r.rate]));
        const event = makeEvent(
          'io.shotcaller.budget.fx-rates.recorded.v1',
          { rates, source: body.source, by: actorName(principal), reason: body.reason },
          { source: eventSource(partitions.deployment, 'api'), correlationId: 'fx-rates' },
        );
        // The same event (same id) in every partition: a show's ledger reads its own partition's log.
        for (const log of logs) await log.append(event);
        const corrected = rates.flatMap((r) => {
          const before = held.get(`${r.from}:${r.to}:${r.date}`);
          return before !== undefined && before !== r.rate ? [{ ...r, before, after: r.rate }] : [];
        });
        return {
          eventId: event.id,
          recorded: rates.length,
          corrected: corrected.map(({ date, from, to, before, after }) => ({
            date,
            from,
            to,
            before,
            after,
          })),
        };
      },
    }),
  ];
}
