import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeComfyUi } from '../../packages/genai/test/comfyui-server';
import { runShotcaller } from '../support/shotcaller';

let app: Awaited<ReturnType<typeof runShotcaller>>;
let comfy: FakeComfyUi;

beforeAll(async () => {
  comfy = await new FakeComfyUi().start();
  comfy.scenario = 'node-errors';
  const dir = mkdtempSync(join(tmpdir(), 'policy-'));
  const policyFile = join(dir, 'policy.yaml');
  writeFileSync(
    policyFile,
    'version: 1\nid: comfy-first\nrules:\n  - id: comfy-for-effects\n    description: effects go to the studio ComfyUI\n    when: { performers: none }\n    route: genai\n    provider: comfyui\ndefault: { route: vendor }\n',
  );
  app = await runShotcaller(['api', 'router', 'genai-worker'], {
    routing: { policyFile },
    genai: {
      providers: [
        { name: 'local', kind: 'local', trainingDataLicence: 'owned' },
        {
          name: 'comfyui',
          kind: 'comfyui',
          baseUrl: comfy.url,
          workflowFile: fileURLToPath(
            new URL('../../packages/genai/templates/comfyui-shot.json', import.meta.url),
          ),
          trainingDataLicence: 'licensed',
        },
      ],
    },
  });
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
