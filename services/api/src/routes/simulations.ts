import type { ProviderProfile, Rule } from '@shotcaller/compliance';
import { ShowCode } from '@shotcaller/contracts';
import type { RedisClient } from '@shotcaller/events';
import { checkPolicyAgainstRates, parsePolicy, parseRateCards, type RateCards } from '@shotcaller/routing';
import { readSnapshot, SimulationReport, simulate, simulationCsv } from '@shotcaller/simulation';
import { z } from 'zod';
import { canSeeShow } from '../auth';
import { Forbidden } from '../errors';
import { type RouteSpec, route } from '../route-spec';

export interface SimulationContext {
  /** The rate cards in force, used when a simulation brings none of its own. */
  rates: RateCards;
  providers: Readonly<Record<string, ProviderProfile>>;
  rules: readonly Rule[];
}

const SimulationRequest = z.strictObject({
  show: ShowCode,
  episode: z.string().min(1).optional(),
  sequence: z.string().min(1).optional(),
  /** The candidate routing policy, as the YAML text of a policy file. */
  policy: z.string().min(1, 'send the candidate policy file’s YAML text'),
  /** Other rate cards (YAML text); the ones in force when absent. */
  rates: z.string().min(1).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

/** What-if: replays a show's recorded shots under another policy. Reads a snapshot; writes nothing. */
export function simulationRoutes(deps: {
  redis: RedisClient;
  /** The show's events are in its partition. */
  keyspaceOfShow: (show: string) => string;
  context: SimulationContext;
}): RouteSpec[] {
  return [
    route({
      method: 'POST',
      url: '/v1/simulations',
      summary:
        'What-if: the show (or an episode or sequence) under a candidate policy and rate cards, beside what happened',
      tag: 'simulation',
      permission: 'simulate:run',
      limit: 'expensive',
      body: SimulationRequest,
      responses: {
        200: { description: 'The comparison (JSON, or CSV with format: csv)', schema: SimulationReport },
      },
      handler: async ({ principal, body, reply }) => {
        if (!canSeeShow(principal, body.show))
          throw new Forbidden(`This token may not see show ${body.show}`);
        const policy = parsePolicy(body.policy, 'the candidate policy');
        const rates = body.rates
          ? parseRateCards(body.rates, 'the candidate rate cards')
          : deps.context.rates;
        checkPolicyAgainstRates(policy, rates);
        const snapshot = await readSnapshot(deps.redis, deps.keyspaceOfShow(body.show), body.show);
        const report = simulate({
          show: body.show,
          scope: {
            ...(body.episode ? { episode: body.episode } : {}),
            ...(body.sequence ? { sequence: body.sequence } : {}),
          },
          ...snapshot,
          candidate: { policy, rates },
          providers: deps.context.providers,
          rules: deps.context.rules,
        });
        if (body.format === 'csv') {
          // Not the schema's document: sent as it is.
          return reply.type('text/csv; charset=utf-8').send(simulationCsv(report));
        }
        return report;
      },
    }),
  ];
}
