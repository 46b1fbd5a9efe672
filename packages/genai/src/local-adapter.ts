import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { frameCount } from '@shotcaller/contracts';
import { PNG } from 'pngjs';
import type {
  GenaiAdapter,
  GeneratedFile,
  GenerationResult,
  GenerationTask,
  Progress,
  Usage,
} from './adapter';
import { GenerationCancelled } from './errors';

/** mulberry32: a tiny deterministic PRNG, so a seed always paints the same frames. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Particle {
  x: number;
  y: number;
  vx: number;
  vy: number;
  size: number;
  shade: number;
}

/** Paints frame `i`: a dusk sky, a tower that leans further each frame, and debris falling under gravity. */
function paint(png: PNG, seed: number, i: number, total: number, particles: Particle[]): void {
  const { width, height } = png;
  const fall = i / Math.max(1, total - 1);
  const towerX = Math.floor(width * 0.45);
  const towerW = Math.max(2, Math.floor(width * 0.12));
  const lean = fall * towerW * 3;
  const towerTop = Math.floor(height * (0.15 + 0.5 * fall * fall));
  for (let y = 0; y < height; y++) {
    const t = y / height;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      let r = 40 + 140 * t + ((seed >> 3) & 15);
      let g = 30 + 80 * t;
      let b = 90 - 40 * t;
      const shift = lean * (1 - y / height);
      if (y >= towerTop && x >= towerX + shift && x < towerX + towerW + shift) {
        r = g = b = 55 + ((x + y) % 7) * 3;
      }
      if (y > height * 0.85) r = g = b = 35;
      png.data[o] = r;
      png.data[o + 1] = g;
      png.data[o + 2] = b;
      png.data[o + 3] = 255;
    }
  }
  for (const p of particles) {
    const px = Math.floor(p.x + p.vx * i);
    const py = Math.floor(p.y + p.vy * i + 0.02 * i * i);
    for (let dy = 0; dy < p.size; dy++) {
      for (let dx = 0; dx < p.size; dx++) {
        const x = px + dx;
        const y = py + dy;
        if (x < 0 || y < 0 || x >= width || y >= height) continue;
        const o = (y * width + x) * 4;
        png.data[o] = png.data[o + 1] = png.data[o + 2] = p.shade;
      }
    }
  }
}

export interface LocalAdapterOptions {
  /** Frames are written at the shot's resolution times this (1/8 by default), to keep previews small. */
  previewScale?: number;
  /**
   * A task's frames are handed over in memory up to this many bytes in all (8 MiB by default), and written
   * to its scratch directory past that: a short shot skips the disk, a long one is never held whole.
   */
  inMemoryBytes?: number;
}

/**
 * The embedded provider: no GPU, no account. A deterministic procedural generator that paints real PNG
 * frames for the shot's frame range, seeded from the shot, and reports the compute time its frames took.
 */
export class LocalAdapter implements GenaiAdapter {
  readonly name = 'local';
  private readonly scale: number;
  private readonly inMemoryBytes: number;

  constructor(options: LocalAdapterOptions = {}) {
    this.scale = options.previewScale ?? 1 / 8;
    this.inMemoryBytes = options.inMemoryBytes ?? 8 * 1024 * 1024;
  }

  async generate(
    task: GenerationTask,
    options: { onProgress(p: Progress): void; signal: AbortSignal },
  ): Promise<GenerationResult> {
    // The time spent painting and encoding this task's frames, which run synchronously, so their wall
    // time is their CPU time. The process's CPU (process.cpuUsage) would charge this task for every other
    // task and role the process runs meanwhile. Rounded up to the millisecond, as metered compute is.
    let computeMs = 0;
    const used = (): Usage => ({ unit: 'cpu-second', quantity: Math.ceil(computeMs) / 1000 });
    const { request } = task;
    const total = frameCount(request.frames);
    const width = Math.max(16, Math.round(request.resolution.width * this.scale));
    const height = Math.max(16, Math.round(request.resolution.height * this.scale));
    const random = prng(task.seed);
    const particles: Particle[] = Array.from({ length: 40 }, () => ({
      x: random() * width,
      y: random() * height * 0.4,
      vx: (random() - 0.5) * 1.5,
      vy: random() * 0.8,
      size: 1 + Math.floor(random() * 3),
      shade: 80 + Math.floor(random() * 120),
    }));
    const outputs: GeneratedFile[] = [];
    let heldBytes = 0;
    let madeDir = false;
    for (let i = 0; i < total; i++) {
      if (options.signal.aborted) throw new GenerationCancelled(task.taskId, used());
      const computing = performance.now();
      const png = new PNG({ width, height });
      paint(png, task.seed, i, total, particles);
      const bytes = PNG.sync.write(png);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      computeMs += performance.now() - computing;
      const frame = request.frames.start + i;
      const name = `${request.shot}.${String(frame).padStart(4, '0')}.png`;
      const made = { frame, bytes: bytes.length, sha256 };
      if (heldBytes + bytes.length <= this.inMemoryBytes) {
        heldBytes += bytes.length;
        outputs.push({ ...made, name, data: bytes });
      } else {
        if (!madeDir) await mkdir(task.outputDir, { recursive: true });
        madeDir = true;
        const path = join(task.outputDir, name);
        await writeFile(path, bytes);
        outputs.push({ ...made, path });
      }
      options.onProgress({ percent: ((i + 1) / total) * 100, message: `frame ${frame}` });
      // Yield between frames so a cancel (and everything else on the loop) gets its turn.
      await new Promise((r) => setImmediate(r));
    }
    return {
      outputs,
      usage: used(),
      model: 'shotcaller-procedural',
      modelVersion: '1',
      workflowHash: createHash('sha256')
        .update(`procedural-v1:${width}x${height}:${this.scale}`)
        .digest('hex'),
    };
  }
}

/** A stable 32-bit seed from a shot id and attempt. */
export function seedFor(shotId: string, attempt: number): number {
  return createHash('sha256').update(`${shotId}#${attempt}`).digest().readUInt32BE(0);
}
