import type { ShotRequest, UsageUnit } from '@shotcaller/contracts';
import type { z } from 'zod';

export interface GenerationTask {
  taskId: string;
  shotId: string;
  request: ShotRequest;
  /** Same seed, same frames: a retried task reproduces its output. */
  seed: number;
  /**
   * Scratch space for the task's files, made by the adapter if it writes any, removed by the worker
   * afterwards. An adapter that returns every output in memory leaves nothing there.
   */
  outputDir: string;
}

export interface Progress {
  percent: number;
  message?: string;
}

/**
 * An output of a task: a file the adapter wrote under the task's `outputDir`, or (`name` and `data`) one
 * it holds in memory, which the worker signs and publishes from there without a round trip through disk.
 */
export type GeneratedFile = {
  sha256: string;
  frame?: number;
  bytes: number;
} & ({ path: string } | { name: string; data: Buffer });

/** What a provider charges for: GPU seconds, credits, frames… */
export interface Usage {
  unit: z.infer<typeof UsageUnit>;
  quantity: number;
}

export interface GenerationResult {
  outputs: GeneratedFile[];
  usage: Usage;
  model: string;
  modelVersion: string;
  /** Hash of the workflow or settings that made the frames, for the frames' Content Credentials. */
  workflowHash: string;
}

/**
 * A generative-AI provider. `generate` submits a task, reports progress, honours `signal` all the way to
 * the provider, and returns the outputs (files in `outputDir`, or bytes in memory) with what the work
 * used. It throws ProviderUnavailable (retry), ProviderRejectedTask (permanent) or GenerationCancelled;
 * each carries the `usage` the provider charged for when the work had started before it ended, so failed
 * attempts are paid for in the ledger too.
 */
export interface GenaiAdapter {
  readonly name: string;
  generate(
    task: GenerationTask,
    options: { onProgress(p: Progress): void; signal: AbortSignal },
  ): Promise<GenerationResult>;
}
