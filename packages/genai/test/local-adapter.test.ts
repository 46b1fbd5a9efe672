import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aShotRequest } from '@shotcaller/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalAdapter } from '../src/local-adapter';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function task(frames: number) {
  const outputDir = mkdtempSync(join(tmpdir(), 'local-adapter-'));
  dirs.push(outputDir);
  const request = aShotRequest({ frames: { start: 1, end: frames }, resolution: { width: 128, height: 72 } });
  return { taskId: 't-1', shotId: 'sh-1', request, seed: 7, outputDir };
}

describe('the local adapter', () => {
  it('charges the compute of its own frames, not what else the process does meanwhile', async () => {
    const adapter = new LocalAdapter({ previewScale: 1 });
    const busyMs = 400;
    // Another role's work on the same process, between two of this task's frames.
    const result = await adapter.generate(task(2), {
      signal: new AbortController().signal,
      onProgress: (p) => {
        if (p.percent < 100) {
          const until = performance.now() + busyMs;
          while (performance.now() < until);
        }
      },
    });
    expect(result.usage.unit).toBe('cpu-second');
    // At least a millisecond (metered compute rounds up), and none of the other work's 400 ms.
    expect(result.usage.quantity).toBeGreaterThanOrEqual(0.001);
    expect(result.usage.quantity).toBeLessThan(busyMs / 1000);
    expect(result.outputs).toHaveLength(2);
  });

  it('hands frames over in memory up to its bound, and writes the rest to scratch', async () => {
    const signal = new AbortController().signal;
    const onProgress = () => undefined;
    const whole = await new LocalAdapter({ previewScale: 1 }).generate(task(3), { signal, onProgress });
    expect(whole.outputs.every((o) => 'data' in o)).toBe(true);
    const frameBytes = whole.outputs[0]!.bytes;
    // Room for two frames: the third goes to disk, the same bytes as it would have been in memory.
    const t = task(3);
    const split = await new LocalAdapter({ previewScale: 1, inMemoryBytes: frameBytes * 2 + 10 }).generate(
      t,
      {
        signal,
        onProgress,
      },
    );
    expect(split.outputs.map((o) => ('data' in o ? 'memory' : 'disk'))).toEqual(['memory', 'memory', 'disk']);
    const onDisk = split.outputs[2]!;
    if (!('path' in onDisk)) throw new Error('expected a file');
    expect(onDisk.path.startsWith(t.outputDir)).toBe(true);
    const bytes = readFileSync(onDisk.path);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(onDisk.sha256);
    expect(split.outputs.map((o) => o.sha256)).toEqual(whole.outputs.map((o) => o.sha256));
    for (const o of whole.outputs)
      if ('data' in o) expect(createHash('sha256').update(o.data).digest('hex')).toBe(o.sha256);
  });

  it('leaves no scratch directory when every frame fits in memory', async () => {
    const t = task(1);
    rmSync(t.outputDir, { recursive: true });
    await new LocalAdapter({ previewScale: 1 }).generate(t, {
      signal: new AbortController().signal,
      onProgress: () => undefined,
    });
    expect(existsSync(t.outputDir)).toBe(false);
  });
});
