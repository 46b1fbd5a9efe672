import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeComfyUi } from '../../packages/genai/test/comfyui-server';
import { runShotcaller } from './shotcaller';

/** Shotcaller whose policy sends shots with nobody in frame to a ComfyUI provider: the given test server. */
export function runShotcallerOnComfyUi(comfy: FakeComfyUi, roles: Parameters<typeof runShotcaller>[0]) {
  const policyFile = join(mkdtempSync(join(tmpdir(), 'policy-')), 'policy.yaml');
  writeFileSync(
    policyFile,
    'version: 1\nid: comfy-first\nrules:\n  - id: comfy-for-effects\n    description: effects go to the studio ComfyUI\n    when: { performers: none }\n    route: genai\n    provider: comfyui\ndefault: { route: vendor }\n',
  );
  return runShotcaller(roles, {
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
}
