import {
  accuracyDimensions,
  BudgetProjection,
  estimateAccuracy,
  type RateCardsLike,
  suggestRateCards,
} from '@shotcaller/budget';
import type { Partitions, RedisClient } from '@shotcaller/events';
import { stringify } from 'yaml';
import { z } from 'zod';
import { canSeeShow } from '../auth';
import { Forbidden } from '../errors';
import { type RouteSpec, route } from '../route-spec';

const AccuracyQuery = z.strictObject({
  show: z.string().min(1, 'name the show, e.g. ?show=NTH'),
  period: z.enum(['week', 'month']).default('week'),
  minShots: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(3)
    .describe('fewest settled shots a rate correction rests on'),
});

const Group = z.object({
  key: z.string(),
  shots: z.int(),
  estimate: z.int(),
  actual: z.int(),
  meanErrorPercent: z.number(),
  medianErrorPercent: z.number(),
  p10ErrorPercent: z.number(),
  p90ErrorPercent: z.number(),
  stdDevPercent: z.number(),
  medianRatio: z.number(),
});
const AccuracyView = z.object({
  show: z.string(),
  currency: z.string(),
  settledShots: z.int(),
  leftOut: z.int(),
  overall: Group.nullable(),
  by: z.object(
    Object.fromEntries(accuracyDimensions.map((d) => [d, z.array(Group)])) as Record<
      (typeof accuracyDimensions)[number],
      z.ZodArray<typeof Group>
    >,
  ),
  overTime: z.array(Group.extend({ period: z.string() })),
  rateCardCorrection: z.object({
    suggestions: z.array(
      z.object({
        route: z.enum(['genai', 'vendor']),
        category: z.string(),
        provider: z.string().optional(),
        path: z.string(),
        shots: z.int(),
        factor: z.number(),
        before: z.string(),
        after: z.string(),
      }),
    ),
    rateCards: z
      .string()
      .nullable()
      .describe('the rate cards in force with the corrections, as YAML for `POST /v1/simulations` `rates`'),
  }),
});

/** How good the estimates were: settled shots' estimate against actual, and the rate-card correction they suggest. */
export function budgetAccuracyRoutes(deps: {
  redis: RedisClient;
  partitions: Partitions;
  /** The rate cards in force; without them no corrected cards are offered. */
  rates?: RateCardsLike;
}): RouteSpec[] {
  const { partitions } = deps;
  const projections = partitions.all.map((k) => new BudgetProjection(deps.redis, partitions.keyspace(k)));
  return [
    route({
      method: 'GET',
      url: '/v1/budgets/accuracy',
      summary:
        'Estimate against actual for settled shots by route, category, complexity, provider, vendor and over time, with a suggested rate-card correction the what-if can replay',
      tag: 'budget',
      permission: 'budget:read',
      query: AccuracyQuery,
      responses: {
        200: { description: 'Errors in percent of the estimate; sums in minor units', schema: AccuracyView },
      },
      handler: async ({ principal, query }) => {
        if (!canSeeShow(principal, query.show))
          throw new Forbidden(`This token may not see show ${query.show}`);
        const rows = await projections[partitions.ofShow(query.show)]!.rows(query.show);
        const report = estimateAccuracy(rows, query.period);
        const correction = deps.rates ? suggestRateCards(deps.rates, rows, query.minShots) : undefined;
        return {
          show: query.show,
          ...report,
          rateCardCorrection: {
            suggestions: correction?.suggestions ?? [],
            rateCards: correction && correction.suggestions.length > 0 ? stringify(correction.cards) : null,
          },
        };
      },
    }),
  ];
}
