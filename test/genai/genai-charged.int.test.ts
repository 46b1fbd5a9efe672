import { aShotRequest, eventually } from '@shotcaller/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeComfyUi } from '../../packages/genai/test/comfyui-server';
import { runShotcallerOnComfyUi } from '../support/comfyui-shotcaller';
import { type runShotcaller, tokens } from '../support/shotcaller';

let app: Awaited<ReturnType<typeof runShotcaller>>;
let comfy: FakeComfyUi;

beforeAll(async () => {
  comfy = await new FakeComfyUi().start();
  comfy.scenario = 'out-of-memory-once';
  app = await runShotcallerOnComfyUi(comfy, ['api', 'router', 'genai-worker', 'budget']);
});
afterAll(async () => {
  await app?.running.stop();
  await comfy?.stop();
});

describe('a genai attempt that fails after the provider started the work', () => {
  it('records what it was charged, once and marked as a failed attempt, and the retry delivers', async () => {
    const { shot } = await app
      .client()
      .submitShot(
        aShotRequest({ category: 'destruction', deliverable: 'temp', frames: { start: 1, end: 4 } }),
      );
    const done = await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.state === 'delivered',
      'the shot delivered on the second attempt',
      30_000,
    );
    expect(comfy.executions).toBe(2);
    const charged = done.history!.filter((e) => e.type === 'io.shotcaller.genai.attempt.charged.v1');
    expect(charged).toHaveLength(1);
    expect(charged[0]!.data).toMatchObject({
      provider: 'comfyui',
      attempt: 1,
      outcome: 'failed',
      unit: 'gpu-second',
      reason: expect.stringMatching(/node 3 \(KSampler\) failed: Allocation on device/),
    });
    expect((charged[0]!.data as { quantity: number }).quantity).toBeGreaterThan(0);
    expect(done.history!.filter((e) => e.type === 'io.shotcaller.genai.usage.recorded.v1')).toHaveLength(1);

    const spend = await eventually(
      async () => {
        const r = await fetch(`${app.running.apiUrl}/v1/budgets/providers?show=${done.request.show}`, {
          headers: { authorization: `Bearer ${tokens.accountant}` },
        });
        return (await r.json()) as { providers: Array<Record<string, unknown>> };
      },
      (r) => r.providers.some((p) => p.attempts === 2),
      'the ledger to count both attempts',
      10_000,
    );
    expect(spend.providers).toEqual([
      expect.objectContaining({
        provider: 'comfyui',
        attempts: 2,
        byOutcome: expect.objectContaining({ failed: expect.objectContaining({ attempts: 1 }) }),
      }),
    ]);
  });
});
