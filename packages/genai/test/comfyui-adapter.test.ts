import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComfyUiAdapter, GenerationCancelled, type Progress, ProviderRejectedTask } from '@shotcaller/genai';
import { aShotRequest } from '@shotcaller/testkit';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeComfyUi } from './comfyui-server';

const template = readFileSync(new URL('../templates/comfyui-shot.json', import.meta.url), 'utf8');
let comfy: FakeComfyUi;
beforeEach(async () => {
  comfy = await new FakeComfyUi().start();
});
afterEach(() => comfy.stop());

const task = () => ({
  taskId: 't-1',
  shotId: 'sh-1',
  request: aShotRequest({ frames: { start: 1001, end: 1004 }, brief: 'Dust wave rolls down the avenue' }),
  seed: 1234,
  outputDir: mkdtempSync(join(tmpdir(), 'comfy-out-')),
});
const run = (signal = new AbortController().signal) => {
  const progress: Progress[] = [];
  const adapter = new ComfyUiAdapter({
    baseUrl: comfy.url,
    workflowTemplate: template,
    reconnectDelayMs: 20,
  });
  return { progress, result: adapter.generate(task(), { onProgress: (p) => progress.push(p), signal }) };
};

describe('the ComfyUI adapter', () => {
  it('queues the filled workflow, follows progress and downloads every image', async () => {
    const { progress, result } = run();
    const out = await result;
    const sent = comfy.prompts[0]!;
    expect(sent.client_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.prompt['6']!.inputs.text).toBe('Dust wave rolls down the avenue');
    expect(sent.prompt['3']!.inputs.seed).toBe(1234);
    expect(sent.prompt['5']!.inputs.batch_size).toBe(4);
    expect(progress.at(-1)!.percent).toBe(100);
    expect(out.outputs).toHaveLength(4);
    expect(PNG.sync.read(readFileSync(out.outputs[0]!.path)).width).toBe(16);
    expect(out.usage.unit).toBe('gpu-second');
    expect(out.workflowHash).toMatch(/^[a-f0-9]{64}$/);
  });

  it('turns node_errors on POST /prompt into a permanent error naming the node', async () => {
    comfy.scenario = 'node-errors';
    const { result } = run();
    await expect(result).rejects.toThrow(ProviderRejectedTask);
    await expect(run().result).rejects.toThrow(
      /node 4 \(CheckpointLoaderSimple\): Value not in list — ckpt_name/,
    );
  });

  it('turns an execution_error into a permanent error naming the node', async () => {
    comfy.scenario = 'execution-error';
    await expect(run().result).rejects.toThrow(/node 3 \(KSampler\) failed: mat1 and mat2 shapes/);
  });

  it('cancels through /interrupt and removes the prompt from the queue', async () => {
    comfy.scenario = 'slow';
    const abort = new AbortController();
    const { progress, result } = run(abort.signal);
    while (progress.length < 3) await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    await expect(result).rejects.toThrow(GenerationCancelled);
    const promptId = comfy.queueDeletes.length
      ? (comfy.queueDeletes[0] as { delete: string[] }).delete[0]
      : undefined;
    expect(comfy.interrupts).toEqual([{ prompt_id: promptId }]);
    expect(progress.length).toBeLessThan(200);
  });

  it('reconnects a dropped WebSocket and completes from /history', async () => {
    comfy.scenario = 'drop-socket';
    const { result } = run();
    const out = await result;
    expect(comfy.connections).toBeGreaterThanOrEqual(2);
    expect(out.outputs).toHaveLength(4);
  });
});
