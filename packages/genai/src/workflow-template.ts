import { createHash } from 'node:crypto';
import { frameCount } from '@shotcaller/contracts';
import type { GenerationTask } from './adapter';

/**
 * Fills a ComfyUI workflow (API format) from the shot: a string that is exactly `{{name}}` becomes the
 * value with its type (a number stays a number); `{{name}}` inside a longer string is replaced as text.
 */
export function fillWorkflow(
  template: string,
  task: GenerationTask,
  scale: number,
): { prompt: Record<string, unknown>; hash: string } {
  const r = task.request;
  const values: Record<string, string | number> = {
    brief: r.brief,
    seed: task.seed,
    frames: frameCount(r.frames),
    width: Math.max(64, Math.round((r.resolution.width * scale) / 8) * 8),
    height: Math.max(64, Math.round((r.resolution.height * scale) / 8) * 8),
    shot: r.shot,
  };
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const whole = /^\{\{(\w+)\}\}$/.exec(node);
      if (whole && whole[1]! in values) return values[whole[1]!];
      return node.replace(/\{\{(\w+)\}\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    return node;
  };
  return {
    prompt: fill(JSON.parse(template)) as Record<string, unknown>,
    hash: createHash('sha256').update(template).digest('hex'),
  };
}
