import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { GeneratedFile, GenerationResult } from '@shotcaller/genai';
import {
  type GeneratedAsset,
  type ReferenceInput,
  type SigningIdentity,
  shotRefOf,
  sidecarName,
  signAsset,
} from '@shotcaller/provenance';
import type { ShotRecord } from '@shotcaller/shots';
import { type ArtifactStore, NotInStore, ObjectNotFound } from '@shotcaller/storage';

/** How a genai worker signs: who it signs as, and the compliance rules it states it relied on. */
export interface CredentialSettings {
  identity: SigningIdentity;
  /** The version of the compliance rule catalogue in force (rules as configured), for the manifest. */
  ruleCatalogueVersion: string;
}

/** A signed output, in memory: the file to publish, and its sidecar when the format cannot embed. */
export interface SignedOutput {
  name: string;
  bytes: Buffer;
  sha256: string;
  frame?: number;
  sidecar?: { name: string; bytes: Buffer; sha256: string };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * The reference assets given to the AI, each with its SHA-256 when it is in the artifact store (the
 * store's checked digest; nothing outside the store is read on a request's say-so).
 */
export async function hashReferences(
  store: ArtifactStore,
  references: ShotRecord['request']['referenceAssets'],
): Promise<ReferenceInput[]> {
  return Promise.all(
    references.map(async (r): Promise<ReferenceInput> => {
      const base = { uri: r.uri, kind: r.kind, rights: r.rights };
      let key: string;
      try {
        key = store.keyOf(r.uri);
      } catch (error) {
        if (error instanceof NotInStore) return { ...base, unhashed: 'not in Shotcaller’s artifact store' };
        throw error;
      }
      try {
        return { ...base, sha256: (await store.digest(key)).sha256 };
      } catch (error) {
        if (error instanceof ObjectNotFound) return { ...base, unhashed: 'named in the store but not there' };
        throw error;
      }
    }),
  );
}

/** What every output's Content Credentials say about how it was made: the same for all of a task's outputs. */
export function credentialFacts(
  shot: ShotRecord,
  result: GenerationResult,
  generation: { provider: string; seed: number; startedAt: Date; finishedAt: Date },
  references: ReferenceInput[],
  settings: CredentialSettings,
): Omit<GeneratedAsset, 'title' | 'frame'> {
  const d = shot.decision;
  const p = shot.precheck;
  return {
    kind: 'generated',
    shot: shotRefOf(shot),
    provider: generation.provider,
    model: result.model,
    modelVersion: result.modelVersion,
    workflowHash: result.workflowHash,
    seed: generation.seed,
    prompt: shot.request.brief,
    startedAt: generation.startedAt,
    finishedAt: generation.finishedAt,
    references,
    routing: {
      route: d?.route ?? 'genai',
      ...(d?.provider ? { provider: d.provider } : {}),
      policyId: d?.policyId ?? 'unknown',
      policyVersion: d?.policyVersion ?? 'unknown',
      decidedBy: d?.decidedBy ?? 'unknown',
      matchedRules: d?.matchedRules.map((m) => m.ruleId) ?? [],
      overridden: Boolean(d?.override),
    },
    compliance: {
      outcome: p?.outcome ?? 'unknown',
      consentIds: p?.consentIds ?? [],
      approvalIds: p?.approvalIds ?? [],
      ruleCatalogueVersion: settings.ruleCatalogueVersion,
    },
  };
}

/** An output the adapter left in scratch space, checked against its hash: a file there could have changed since. */
async function readScratch(output: {
  path: string;
  sha256: string;
}): Promise<{ name: string; bytes: Buffer }> {
  const name = basename(output.path);
  const bytes = await readFile(output.path);
  if (sha256(bytes) !== output.sha256)
    throw new Error(`${name} changed in scratch space after the provider delivered it`);
  return { name, bytes };
}

/**
 * Signs a task's outputs one after another, in memory, before anything is published, so the hash the
 * store checks and the events record is the signed file's: PNG and JPEG get the manifest inside, other
 * formats a `<name>.c2pa` sidecar. Yields each as soon as it is signed, so the caller publishes a few at
 * a time and a long sequence is never held in memory whole.
 */
export async function* signOutputs(
  outputs: readonly GeneratedFile[],
  facts: Omit<GeneratedAsset, 'title' | 'frame'>,
  identity: SigningIdentity,
  signal: AbortSignal,
): AsyncGenerator<SignedOutput> {
  const sidecars = new Set<string>();
  for (const output of outputs) {
    signal.throwIfAborted();
    const { name, bytes } =
      'data' in output ? { name: output.name, bytes: output.data } : await readScratch(output);
    const asset = await signAsset(
      bytes,
      { ...facts, title: name, ...(output.frame === undefined ? {} : { frame: output.frame }) },
      identity,
    );
    const frame = output.frame === undefined ? {} : { frame: output.frame };
    if (asset.binding === 'embedded') {
      yield { name, bytes: asset.bytes, sha256: sha256(asset.bytes), ...frame };
      continue;
    }
    // Two outputs that differ only in extension would share `<stem>.c2pa`: the second keeps its extension.
    let car = sidecarName(name);
    if (sidecars.has(car)) car = `${name}.c2pa`;
    sidecars.add(car);
    yield {
      name,
      bytes,
      sha256: output.sha256,
      ...frame,
      sidecar: { name: car, bytes: asset.sidecar, sha256: sha256(asset.sidecar) },
    };
  }
}
