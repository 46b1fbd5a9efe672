import { startShotcaller } from '@shotcaller/cli';
import { EventLog } from '@shotcaller/events';
import { ShotStore } from '@shotcaller/shots';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runShotcaller } from '../support/shotcaller';

let app: Awaited<ReturnType<typeof runShotcaller>>;
beforeAll(async () => {
  app = await runShotcaller(['api']);
});
afterAll(() => app?.running.stop());

describe('the router as a consumer of the event log', () => {
  it('routes shots submitted while no router ran, once one starts, and each exactly once', async () => {
    const reply = await app.client().submitBatch(
      Array.from({ length: 12 }, (_, i) =>
        aShotRequest({
          shot: `WAIT_${String(i).padStart(4, '0')}`,
          category: 'destruction',
          deliverable: 'temp',
          idempotencyKey: `wait-${i}`,
        }),
      ),
    );
    const ids = reply.results.map((r) => r.shotId!);
    const store = new ShotStore(app.running.redis, app.deployment);
    expect((await store.getMany(ids)).map((s) => s.state)).toEqual(ids.map(() => 'submitted'));

    // Two routers start at once: both sweep the waiting shots, and the group shares what comes next.
    const routers = await Promise.all([
      startShotcaller(app.config, ['router']),
      startShotcaller(app.config, ['router']),
    ]);
    try {
      await eventually(
        () => store.getMany(ids),
        (all) => all.every((s) => s.state === 'queued'),
        'every waiting shot routed',
        30_000,
      );
      // A shot submitted now reaches a router through the group, not the start-up sweep.
      const late = await app
        .client()
        .submitShot(aShotRequest({ shot: 'LATE_0010', category: 'destruction', deliverable: 'temp' }));
      await eventually(
        () => store.get(late.shot.id),
        (s) => s?.state === 'queued',
        'the late shot routed',
        30_000,
      );
      const log = new EventLog(app.running.redis, { deployment: app.deployment });
      for (const id of [...ids, late.shot.id]) {
        const types = (await log.bySubject(id)).map((e) => e.event.type);
        expect(types.filter((t) => t === 'io.shotcaller.shot.routed.v1')).toHaveLength(1);
        expect(types.filter((t) => t === 'io.shotcaller.shot.queued.v1')).toHaveLength(1);
      }
      expect((await log.groups()).map((g) => g.name)).toContain('router');
    } finally {
      await Promise.all(routers.map((r) => r.stop()));
    }
  }, 60_000);
});
