import { mkdtempSync, rmSync } from 'node:fs';
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
});
