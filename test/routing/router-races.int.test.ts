import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { ProviderProfile } from '@shotcaller/compliance';
import { createLogger } from '@shotcaller/platform';
import { type RouteDecider, Router } from '@shotcaller/router';
import { decideShot, parsePolicy, parseRateCards } from '@shotcaller/routing';
import { createQueue, genaiQueueName, ShotStore } from '@shotcaller/shots';
import { aPerformer, aShotRequest, testRedis } from '@shotcaller/testkit';
import { afterEach, describe, expect, it } from 'vitest';

const example = (path: string) => readFileSync(new URL(`../../examples/${path}`, import.meta.url), 'utf8');
const policy = parsePolicy(example('policy.yaml'), 'policy.yaml');
const rates = parseRateCards(example('rate-cards.yaml'), 'rate-cards.yaml');
const providers = {
  local: ProviderProfile.parse({
    name: 'local',
    trainingDataLicence: 'owned',
    enterpriseSecured: true,
    trainsOnInputs: false,
  }),
};

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('two routers routing the same shot at once', () => {
  // A restarted router's start-up sweep and its group's redelivery of the submitted event meet like this.
  it('holds a shot that lacks consent once', async () => {
    const { redis, deployment } = testRedis();
    cleanups.push(() => redis.disconnect());
    const store = new ShotStore(redis, deployment);
    const { shot } = await store.create(
      aShotRequest({
        category: 'face-likeness',
        requestedRoute: 'genai',
        performers: [aPerformer({ id: 'p-race', union: 'sag-aftra', role: 'lead', likeness: 'altered' })],
      }),
      { submittedBy: 'td@studio.test', source: '/test', now: new Date() },
    );
    const queue = createQueue(genaiQueueName('local'), redis, deployment);
    cleanups.push(() => queue.close());

    // Both routers have read the submitted shot and decided before either writes.
    let arrived = 0;
    let release = () => {};
    const bothDecided = new Promise<void>((r) => {
      release = r;
    });
    const decider: RouteDecider = {
      decide: async (s, now) => {
        const decided = decideShot({
          request: s.request,
          shotId: s.id,
          policy,
          rates,
          consents: [],
          approvals: [],
          providers,
          now,
        });
        if (++arrived === 2) release();
        await bothDecided;
        return decided;
      },
    };
    const routers = ['a', 'b'].map(
      (name) =>
        new Router({
          redis,
          deployment,
          store,
          decider,
          queueFor: () => queue,
          logger: createLogger({ destination: new PassThrough() }),
          consumerName: `router-${name}`,
        }),
    );
    const outcomes = await Promise.all(routers.map((r) => r.route(shot.id)));

    expect(outcomes.sort()).toEqual(['held', 'stale']);
    const types = (await store.history(shot.id)).map((h) => h.event.type);
    expect(types.filter((t) => t === 'io.shotcaller.shot.held.v1')).toHaveLength(1);
    expect(await store.require(shot.id)).toMatchObject({ state: 'held', version: shot.version + 1 });
  });
});
