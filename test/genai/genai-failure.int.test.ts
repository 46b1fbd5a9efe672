import { aShotRequest, eventually } from '@shotcaller/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeComfyUi } from '../../packages/genai/test/comfyui-server';
import { runShotcallerOnComfyUi } from '../support/comfyui-shotcaller';
import type { runShotcaller } from '../support/shotcaller';

let app: Awaited<ReturnType<typeof runShotcaller>>;
let comfy: FakeComfyUi;

beforeAll(async () => {
  comfy = await new FakeComfyUi().start();
  comfy.scenario = 'node-errors';
  app = await runShotcallerOnComfyUi(comfy, ['api', 'router', 'genai-worker']);
});
afterAll(async () => {
  await app?.running.stop();
  await comfy?.stop();
});

describe('a genai task the provider refuses for good', () => {
  it('is not retried, and the shot goes on to a vendor with the reason in the event', async () => {
    const { shot } = await app
      .client()
      .submitShot(
        aShotRequest({ category: 'destruction', deliverable: 'temp', frames: { start: 1, end: 4 } }),
      );
    const rerouted = await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.state === 'queued' && s.route === 'vendor',
      'the vendor route',
      30_000,
    );
    const event = rerouted.history!.find((e) => e.type === 'io.shotcaller.shot.rerouted.v1')!;
    expect(event.data).toMatchObject({
      from: 'genai',
      to: 'vendor',
      cause: 'genai-failed',
      reason: expect.stringMatching(/comfyui provider refused the task: .*node 4 \(CheckpointLoaderSimple\)/),
    });
    const failed = rerouted.history!.filter((e) => e.type === 'io.shotcaller.genai.task.failed.v1');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.data).toMatchObject({ provider: 'comfyui', permanent: true });
    expect(comfy.prompts).toHaveLength(1);
  });
});
