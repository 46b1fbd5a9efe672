import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CredentialsReport } from '@shotcaller/provenance';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FakeComfyUi } from '../../packages/genai/test/comfyui-server';
import { readWithReference } from '../support/c2pa-reference';
import { runShotcallerOnComfyUi } from '../support/comfyui-shotcaller';
import { tokens } from '../support/shotcaller';

let comfy: FakeComfyUi;
let app: Awaited<ReturnType<typeof runShotcallerOnComfyUi>>;
beforeAll(async () => {
  comfy = await new FakeComfyUi().start();
  comfy.outputFormat = 'exr';
  app = await runShotcallerOnComfyUi(comfy, ['api', 'router', 'genai-worker']);
});
afterAll(async () => {
  await app?.running.stop();
  await comfy?.stop();
});

const Outputs = z.object({
  outputs: z.array(
    z.object({
      uri: z.string(),
      credentials: z.object({
        binding: z.string(),
        sidecar: z.object({ uri: z.string(), url: z.string() }).optional(),
      }),
      credentialsUrl: z.string(),
    }),
  ),
});

describe('EXR frames from a provider', () => {
  it('are published untouched with a signed .c2pa sidecar beside each, bound by hash', async () => {
    const { shot } = await app
      .client()
      .submitShot(
        aShotRequest({ category: 'destruction', deliverable: 'temp', frames: { start: 1, end: 3 } }),
      );
    const done = await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.state === 'delivered',
      'the shot delivered',
      60_000,
    );
    const completed = done.history!.find((e) => e.type === 'io.shotcaller.genai.task.completed.v2')!.data as {
      outputs: Array<{ uri: string; credentials: { binding: string; uri?: string } }>;
    };
    expect(completed.outputs.length).toBeGreaterThan(0);
    for (const o of completed.outputs) {
      expect(o.uri).toMatch(/\.exr$/);
      expect(o.credentials).toMatchObject({ binding: 'sidecar', uri: expect.stringMatching(/\.c2pa$/) });
    }
    const { data } = await app.client().request('GET', `/v1/shots/${shot.id}/outputs`, Outputs);
    expect(data.outputs[0]!.credentials.binding).toBe('sidecar');
    // The sidecar is served, byte for byte what the store holds.
    const served = await fetch(`${app.running.apiUrl}${data.outputs[0]!.credentials.sidecar!.url}`, {
      headers: { authorization: `Bearer ${tokens.td}` },
    });
    expect(served.headers.get('content-type')).toBe('application/c2pa');
    const sidecarPath = fileURLToPath(completed.outputs[0]!.credentials.uri!);
    expect(Buffer.from(await served.arrayBuffer()).equals(readFileSync(sidecarPath))).toBe(true);

    const { data: report } = await app
      .client()
      .request('GET', data.outputs[0]!.credentialsUrl, CredentialsReport);
    expect(report).toMatchObject({ verdict: 'valid', binding: 'sidecar', aiGenerated: true });
    expect(report.actions[0]!.softwareAgent).toMatch(/^comfyui\//);

    // The reference implementation agrees, and a changed byte breaks the binding.
    const frame = fileURLToPath(completed.outputs[0]!.uri);
    const changed = join(sidecarPath, '..', 'changed.exr');
    const bytes = readFileSync(frame);
    bytes[600] = bytes[600]! ^ 1;
    writeFileSync(changed, bytes);
    const { files } = await readWithReference([`${frame}=${sidecarPath}`, `${changed}=${sidecarPath}`]);
    expect(files[0]).toMatchObject({ state: 'Valid', status: ['signingCredential.untrusted'] });
    expect(files[1]!.status).toContain('assertion.dataHash.mismatch');
  });
});
