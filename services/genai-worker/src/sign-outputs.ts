import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
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

/** A signed output in scratch space: the file to publish, and its sidecar when the format cannot embed. */
export interface SignedOutput extends Pick<GeneratedFile, 'path' | 'sha256' | 'frame'> {
  sidecar?: { path: string; sha256: string };
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

/**
 * Signs every output where it lies in scratch space, before anything is published, so the hash the
 * store checks and the events record is the signed file's: PNG and JPEG are rewritten with the manifest
 * inside, other formats get a `<name>.c2pa` sidecar beside them.
 */
export async function signOutputs(
  shot: ShotRecord,
  result: GenerationResult,
  generation: { provider: string; seed: number; startedAt: Date; finishedAt: Date },
  references: ReferenceInput[],
  settings: CredentialSettings,
  signal: AbortSignal,
): Promise<SignedOutput[]> {
  const d = shot.decision;
  const p = shot.precheck;
  const base: Omit<GeneratedAsset, 'title' | 'frame'> = {
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
  const sidecars = new Set<string>();
  const signed: SignedOutput[] = [];
  for (const output of result.outputs) {
    signal.throwIfAborted();
    const name = basename(output.path);
    const bytes = await readFile(output.path);
    if (sha256(bytes) !== output.sha256)
      throw new Error(`${name} changed in scratch space after the provider delivered it`);
    const asset = await signAsset(
      bytes,
      { ...base, title: name, ...(output.frame === undefined ? {} : { frame: output.frame }) },
      settings.identity,
    );
    if (asset.binding === 'embedded') {
      await writeFile(output.path, asset.bytes);
      signed.push({ path: output.path, sha256: sha256(asset.bytes), frame: output.frame });
    } else {
      // Two outputs that differ only in extension would share `<stem>.c2pa`: the second keeps its extension.
      let car = sidecarName(name);
      if (sidecars.has(car)) car = `${name}.c2pa`;
      sidecars.add(car);
      const path = join(dirname(output.path), car);
      await writeFile(path, asset.sidecar);
      signed.push({
        path: output.path,
        sha256: output.sha256,
        frame: output.frame,
        sidecar: { path, sha256: sha256(asset.sidecar) },
      });
    }
  }
  return signed;
}
