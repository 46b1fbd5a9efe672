import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ComfyUiAdapter,
  GenerationCancelled,
  type Progress,
  ProviderRejectedTask,
  ProviderUnavailable,
} from '@shotcaller/genai';
import { aShotRequest } from '@shotcaller/testkit';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
/** A workflow with no sampler: only `progress_state` says how far it is. */
const imageOnly = JSON.stringify({
  '1': {
    class_type: 'EmptyImage',
    inputs: { width: '{{width}}', height: '{{height}}', batch_size: '{{frames}}', color: 0 },
  },
  '2': { class_type: 'ImageBlur', inputs: { image: ['1', 0], blur_radius: 3, sigma: 1.5 } },
  '3': {
    class_type: 'ImageScale',
    inputs: { image: ['2', 0], upscale_method: 'lanczos', width: 256, height: 144, crop: 'disabled' },
  },
  '4': { class_type: 'SaveImage', inputs: { images: ['3', 0], filename_prefix: '{{shot}}' } },
});
const run = (signal = new AbortController().signal, workflowTemplate = template) => {
  const progress: Progress[] = [];
  const adapter = new ComfyUiAdapter({ baseUrl: comfy.url, workflowTemplate, reconnectDelayMs: 20 });
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
    expect(PNG.sync.read(readFileSync((out.outputs[0] as { path: string }).path)).width).toBe(16);
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

  it('turns an execution_error into a permanent error naming the node, with the GPU seconds it used', async () => {
    comfy.scenario = 'execution-error';
    const error = await run().result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRejectedTask);
    expect((error as Error).message).toMatch(/node 3 \(KSampler\) failed: mat1 and mat2 shapes/);
    expect((error as ProviderRejectedTask).usage).toMatchObject({ unit: 'gpu-second' });
    expect((error as ProviderRejectedTask).usage!.quantity).toBeGreaterThan(0);
  });

  it('completes prompt after prompt whose history comes after execution_success, never running one twice', async () => {
    comfy.historyDelayMs = 30;
    for (let i = 0; i < 100; i++) {
      const out = await run().result;
      expect(out.outputs).toHaveLength(4);
    }
    expect(comfy.prompts).toHaveLength(100);
    expect(comfy.executions).toBe(100);
  }, 30_000);

  it('also takes a history entry written before execution_success', async () => {
    comfy.historyBeforeSuccess = true;
    expect((await run().result).outputs).toHaveLength(4);
  });

  it('finishes a prompt whose every message came before POST /prompt answered', async () => {
    comfy.answerAfterRun = true;
    const { progress, result } = run();
    expect((await result).outputs).toHaveLength(4);
    expect(progress.at(-1)!.percent).toBe(100);
    expect(comfy.executions).toBe(1);
  });

  it('finds the outcome in /history when the socket drops just before execution_success', async () => {
    comfy.scenario = 'drop-before-success';
    expect((await run().result).outputs).toHaveLength(4);
    expect(comfy.executions).toBe(1);
  });

  it('reports progress from progress_state for a workflow without a sampler', async () => {
    const { progress, result } = run(undefined, imageOnly);
    const out = await result;
    expect(out.outputs).toHaveLength(4);
    const percents = progress.map((p) => p.percent);
    expect(percents.length).toBeGreaterThanOrEqual(4);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(percents.at(-1)).toBe(100);
    expect(progress.map((p) => p.message)).toContain('node 2 (ImageBlur) running');
  });

  it('refuses a workflow whose node ComfyUI does not have, naming the node by its id', async () => {
    const workflow = JSON.parse(template);
    workflow['12'] = { class_type: 'VHS_VideoCombine', inputs: { images: ['8', 0] } };
    const error = await run(undefined, JSON.stringify(workflow)).result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRejectedTask);
    expect((error as Error).message).toBe(
      "ComfyUI refused the workflow: node 12 (VHS_VideoCombine): Node 'VHS_VideoCombine' not found. The custom node may not be installed.",
    );
  });

  it('refuses a workflow of which one output fails validation, and takes it off the queue', async () => {
    const workflow = JSON.parse(template);
    workflow['10'] = { class_type: 'ImageBlur', inputs: { image: ['8', 0], blur_radius: 99, sigma: 1 } };
    workflow['11'] = { class_type: 'SaveImage', inputs: { images: ['10', 0], filename_prefix: 'blurred' } };
    const error = await run(undefined, JSON.stringify(workflow)).result.catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'ComfyUI refused the workflow: Some outputs failed validation; node 10 (ImageBlur): Value 99 bigger than max of 31 — blur_radius',
    );
    await vi.waitFor(() => expect(comfy.queueDeletes).toHaveLength(1));
  });

  it('gives up a prompt whose ComfyUI went away, with what it had used', async () => {
    comfy.scenario = 'slow';
    const adapter = new ComfyUiAdapter({
      baseUrl: comfy.url,
      workflowTemplate: template,
      reconnectDelayMs: 20,
      historyPollMs: 20,
      unreachableMs: 200,
    });
    const progress: Progress[] = [];
    const result = adapter.generate(task(), {
      onProgress: (p) => progress.push(p),
      signal: new AbortController().signal,
    });
    while (progress.length < 3) await new Promise((r) => setTimeout(r, 10));
    await comfy.stop();
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect((error as ProviderUnavailable).usage!.quantity).toBeGreaterThan(0);
    comfy = await new FakeComfyUi().start();
  });

  it('cancels through /interrupt and removes the prompt from the queue', async () => {
    comfy.scenario = 'slow';
    const abort = new AbortController();
    const { progress, result } = run(abort.signal);
    while (progress.length < 3) await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenerationCancelled);
    expect((error as GenerationCancelled).usage!.quantity).toBeGreaterThan(0);
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
