import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PrecheckResult } from '@shotcaller/contracts';
import { z } from 'zod';

export const trainedAlgorithmicMedia =
  'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';

/**
 * The provenance sidecar of AI-made frames, shaped after a C2PA manifest: a `c2pa.actions` assertion
 * saying the content was created by a trained algorithm, Shotcaller assertions for how (provider, model,
 * workflow, seed, prompt, inputs, usage) and under what compliance decision, and a hash of every file.
 * A later step can sign it and embed real content credentials.
 */
export const ProvenanceManifest = z.strictObject({
  claim_generator: z.string(),
  title: z.string(),
  instance_id: z.string(),
  assertions: z.tuple([
    z.strictObject({
      label: z.literal('c2pa.actions'),
      data: z.strictObject({
        actions: z.array(
          z.strictObject({
            action: z.literal('c2pa.created'),
            digitalSourceType: z.literal(trainedAlgorithmicMedia),
            softwareAgent: z.string(),
            when: z.string(),
          }),
        ),
      }),
    }),
    z.strictObject({
      label: z.literal('shotcaller.generation'),
      data: z.strictObject({
        shotId: z.string(),
        provider: z.string(),
        model: z.string(),
        modelVersion: z.string(),
        workflowHash: z.string(),
        seed: z.int(),
        prompt: z.string(),
        inputs: z.array(z.strictObject({ uri: z.string(), rights: z.string() })),
        startedAt: z.string(),
        finishedAt: z.string(),
        usage: z.strictObject({ unit: z.string(), quantity: z.number() }),
      }),
    }),
    z.strictObject({
      label: z.literal('shotcaller.compliance'),
      data: z.strictObject({ precheck: PrecheckResult, consentIds: z.array(z.string()) }),
    }),
    z.strictObject({
      label: z.literal('shotcaller.hash.files'),
      data: z.strictObject({
        alg: z.literal('sha256'),
        files: z.array(
          z.strictObject({
            name: z.string(),
            sha256: z.string().regex(/^[a-f0-9]{64}$/),
            frame: z.int().optional(),
          }),
        ),
      }),
    }),
  ]),
});
export type ProvenanceManifest = z.infer<typeof ProvenanceManifest>;

export interface ManifestInput {
  title: string;
  taskId: string;
  shotId: string;
  provider: string;
  model: string;
  modelVersion: string;
  workflowHash: string;
  seed: number;
  prompt: string;
  inputs: Array<{ uri: string; rights: string }>;
  startedAt: Date;
  finishedAt: Date;
  usage: { unit: string; quantity: number };
  precheck: PrecheckResult;
  files: Array<{ path: string; sha256: string; frame?: number }>;
}

/** Writes `manifest.json` beside the outputs; returns its path and SHA-256. */
export async function writeManifest(
  dir: string,
  input: ManifestInput,
): Promise<{ path: string; sha256: string; manifest: ProvenanceManifest }> {
  const manifest: ProvenanceManifest = {
    claim_generator: 'Shotcaller/0.1',
    title: input.title,
    instance_id: `xmp:iid:${input.taskId}`,
    assertions: [
      {
        label: 'c2pa.actions',
        data: {
          actions: [
            {
              action: 'c2pa.created',
              digitalSourceType: trainedAlgorithmicMedia,
              softwareAgent: `${input.provider}/${input.model} ${input.modelVersion}`,
              when: input.finishedAt.toISOString(),
            },
          ],
        },
      },
      {
        label: 'shotcaller.generation',
        data: {
          shotId: input.shotId,
          provider: input.provider,
          model: input.model,
          modelVersion: input.modelVersion,
          workflowHash: input.workflowHash,
          seed: input.seed,
          prompt: input.prompt,
          inputs: input.inputs,
          startedAt: input.startedAt.toISOString(),
          finishedAt: input.finishedAt.toISOString(),
          usage: input.usage,
        },
      },
      {
        label: 'shotcaller.compliance',
        data: { precheck: input.precheck, consentIds: input.precheck.consentIds },
      },
      {
        label: 'shotcaller.hash.files',
        data: {
          alg: 'sha256',
          files: input.files.map((f) => ({
            name: basename(f.path),
            sha256: f.sha256,
            ...(f.frame === undefined ? {} : { frame: f.frame }),
          })),
        },
      },
    ],
  };
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  const path = join(dir, 'manifest.json');
  await writeFile(path, text);
  return { path, sha256: createHash('sha256').update(text).digest('hex'), manifest };
}

/** Re-hashes every file a manifest names; lists the ones that are missing or changed. */
export async function verifyManifest(path: string): Promise<{ ok: boolean; mismatches: string[] }> {
  const manifest = ProvenanceManifest.parse(JSON.parse(await readFile(path, 'utf8')));
  const mismatches: string[] = [];
  for (const file of manifest.assertions[3].data.files) {
    try {
      const actual = createHash('sha256')
        .update(await readFile(join(dirname(path), file.name)))
        .digest('hex');
      if (actual !== file.sha256) mismatches.push(`${file.name}: content changed`);
    } catch {
      mismatches.push(`${file.name}: missing`);
    }
  }
  return { ok: mismatches.length === 0, mismatches };
}
