import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitCodes, type Io, runCli } from '@shotcaller/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeComfyUi } from '../../../packages/genai/test/comfyui-server';
import { FakeFal, FakeReplicate } from '../../../packages/genai/test/hosted-servers';

const template = fileURLToPath(
  new URL('../../../packages/genai/templates/comfyui-shot.json', import.meta.url),
);
const dir = mkdtempSync(join(tmpdir(), 'genai-check-'));
let comfy: FakeComfyUi;
beforeAll(async () => {
  comfy = await new FakeComfyUi().start();
});
afterAll(() => comfy.stop());

/** `shotcaller genai check NAME` with a configuration holding this one provider. */
async function check(provider: Record<string, unknown>) {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ genai: { providers: [{ name: 'studio', ...provider }] } }));
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => out.push(t), err: (t) => err.push(t), tty: false };
  const code = await runCli(['genai', 'check', 'studio', '--config', file], io, {});
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const workflow = (edit: (w: Record<string, { inputs: Record<string, unknown> }>) => void) => {
  const w = JSON.parse(readFileSync(template, 'utf8'));
  edit(w);
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(w));
  return file;
};

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('shotcaller genai check, for ComfyUI', () => {
  it('says the server answers and the template is valid against its /object_info', async () => {
    const r = await check({ kind: 'comfyui', baseUrl: comfy.url, workflowFile: template });
    expect(r.code).toBe(exitCodes.ok);
    expect(r.out).toContain(`✓ reachable: ComfyUI 0.3.64 at ${comfy.url}`);
    expect(r.out).toContain('✓ authenticated: no credentials needed');
    expect(r.out).toMatch(
      /✓ workflow: .*comfyui-shot\.json: 7 nodes valid against \/object_info, outputs 9; placeholders \{\{brief\}\} \{\{seed\}\}/,
    );
    expect(r.out).toContain('studio is ready for shots');
    expect(comfy.prompts).toHaveLength(0);
  });

  it('says when the URL is wrong', async () => {
    const nobody = await closedPort();
    const r = await check({ kind: 'comfyui', baseUrl: `http://127.0.0.1:${nobody}`, workflowFile: template });
    expect(r.code).toBe(exitCodes.failed);
    expect(r.out).toContain(`✗ reachable: cannot reach ComfyUI at http://127.0.0.1:${nobody}: ECONNREFUSED`);
  });

  it('says when the proxy in front of ComfyUI refuses the key, and passes with the right one', async () => {
    comfy.requiredHeader = ['authorization', 'Bearer studio-key'];
    try {
      const refused = await check({
        kind: 'comfyui',
        baseUrl: comfy.url,
        workflowFile: template,
        headers: { authorization: 'Bearer wrong' },
      });
      expect(refused.code).toBe(exitCodes.failed);
      expect(refused.out).toContain(`✗ authenticated: ${comfy.url} refused the credentials (HTTP 401)`);
      const taken = await check({
        kind: 'comfyui',
        baseUrl: comfy.url,
        workflowFile: template,
        headers: { authorization: 'Bearer studio-key' },
      });
      expect(taken.code).toBe(exitCodes.ok);
      expect(taken.out).toContain('✓ authenticated: the credentials were accepted');
    } finally {
      comfy.requiredHeader = undefined;
    }
  });

  it('names the node and the reason when the template is not valid on that server', async () => {
    const file = workflow((w) => {
      w['4']!.inputs.ckpt_name = 'not-installed.safetensors';
      w['3']!.inputs.steps = 0;
    });
    const r = await check({ kind: 'comfyui', baseUrl: comfy.url, workflowFile: file });
    expect(r.code).toBe(exitCodes.failed);
    expect(r.out).toContain(
      '✗ workflow: ' +
        `${file}: ComfyUI refused the workflow: Prompt outputs failed validation; node 3 (KSampler): Value 0 smaller than min of 1 — steps; node 4 (CheckpointLoaderSimple): Value not in list — ckpt_name: 'not-installed.safetensors' not in ['studio-licensed-v1.safetensors']`,
    );
  });

  it('tells a workflow saved in the UI format from one exported for the API', async () => {
    const file = join(dir, 'ui.json');
    writeFileSync(file, JSON.stringify({ last_node_id: 9, nodes: [], links: [], version: 0.4 }));
    const r = await check({ kind: 'comfyui', baseUrl: comfy.url, workflowFile: file });
    expect(r.code).toBe(exitCodes.failed);
    expect(r.out).toMatch(/✗ workflow: .*UI format .*Export \(API\)/);
  });
});

describe('shotcaller genai check, for the hosted presets', () => {
  const input = { prompt: '{{brief}}' };

  it('says Replicate answers, takes the token and has the model', async () => {
    const r = await new FakeReplicate().start();
    try {
      const ok = await check({
        kind: 'http-task',
        httpTask: { preset: 'replicate', baseUrl: r.url, apiKey: r.token, model: 'studio/dust-wave', input },
      });
      expect(ok.code).toBe(exitCodes.ok);
      expect(ok.out).toContain('✓ authenticated: studio took the API key');
      expect(ok.out).toContain('✓ model: model studio/dust-wave exists');
      const refused = await check({
        kind: 'http-task',
        httpTask: {
          preset: 'replicate',
          baseUrl: r.url,
          apiKey: 'r8_revoked',
          model: 'studio/dust-wave',
          input,
        },
      });
      expect(refused.code).toBe(exitCodes.failed);
      expect(refused.out).toContain('✗ authenticated: studio refused the API key (HTTP 401)');
      const missing = await check({
        kind: 'http-task',
        httpTask: {
          preset: 'replicate',
          baseUrl: r.url,
          apiKey: r.token,
          model: 'studio/no-such-model',
          input,
        },
      });
      expect(missing.out).toContain('✗ model: studio has no model studio/no-such-model (HTTP 404)');
      const nobody = await closedPort();
      const away = await check({
        kind: 'http-task',
        httpTask: {
          preset: 'replicate',
          baseUrl: `http://127.0.0.1:${nobody}`,
          apiKey: r.token,
          version: 'v',
          input,
        },
      });
      expect(away.out).toContain(
        `✗ reachable: cannot reach studio at http://127.0.0.1:${nobody}: ECONNREFUSED`,
      );
    } finally {
      await r.stop();
    }
  });

  it('says fal answers and takes the key, or refuses it', async () => {
    const f = await new FakeFal().start();
    try {
      const ok = await check({
        kind: 'http-task',
        httpTask: { preset: 'fal', baseUrl: f.url, apiKey: f.key, model: 'fal-ai/flux/dev', input },
      });
      expect(ok.code).toBe(exitCodes.ok);
      expect(ok.out).toContain(`✓ reachable: studio answers at ${f.url}`);
      const refused = await check({
        kind: 'http-task',
        httpTask: { preset: 'fal', baseUrl: f.url, apiKey: 'wrong:key', model: 'fal-ai/flux/dev', input },
      });
      expect(refused.code).toBe(exitCodes.failed);
      expect(refused.out).toContain('✗ authenticated: studio refused the API key (HTTP 401)');
    } finally {
      await f.stop();
    }
  });
});
