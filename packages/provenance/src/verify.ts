import { createHash } from 'node:crypto';
import type * as x509 from '@peculiar/x509';
import { errorMessage } from '@shotcaller/contracts';
import { type Asset, JPEG, PNG } from '@trustnxt/c2pa-ts/asset';
import { SuperBox } from '@trustnxt/c2pa-ts/jumbf';
import {
  ActionAssertion,
  IngredientAssertion,
  type Manifest,
  ManifestStore,
  TrainingAndDataMiningAssertion,
  ValidationResult,
} from '@trustnxt/c2pa-ts/manifest';
import { embeds, sniffFormat } from './formats';
import { DELIVERY_ASSERTION, DIGITAL_SOURCE_TYPE, SHOT_ASSERTION, ShotcallerAssertion } from './manifest';
import { useNodeHashing } from './node-crypto';
import type { CredentialProblem, CredentialsReport } from './report';

useNodeHashing();

/** Frames and sidecars larger than this are refused unread (a frame is tens of MB; a sidecar, a few KB). */
export const MAX_VERIFY_BYTES = 1024 * 1024 * 1024;
export const MAX_SIDECAR_BYTES = 16 * 1024 * 1024;

export interface VerifyInput {
  /** How the file is named to the person reading the report. */
  name: string;
  bytes: Buffer;
  /** The `.c2pa` sidecar found beside the file, if any. */
  sidecar?: { name: string; bytes: Buffer };
}

export interface VerifyOptions {
  /** Roots whose chains make a signer trusted (the configured trust anchors). */
  trustAnchors?: readonly x509.X509Certificate[];
  /** This deployment's signer, so its own credentials are recognised (and its development CA). */
  identity?: { fingerprint: string; developmentCa?: x509.X509Certificate };
}

/** What a C2PA status code means, for a person. */
const WORDS: Record<string, string> = {
  'assertion.dataHash.mismatch':
    'the file’s bytes are not the ones that were signed (changed after signing, or the manifest belongs to another file)',
  'assertion.hashedURI.mismatch': 'an assertion was changed after signing',
  'claimSignature.mismatch': 'the signature does not match the claim (forged or altered)',
  'claimSignature.missing': 'the claim is not signed',
  'claim.missing': 'the manifest has no claim',
  'claim.hardBindings.missing': 'the manifest is not bound to any file content',
  'signingCredential.invalid': 'the signing certificate is not one C2PA accepts',
  'signingCredential.expired': 'the signing certificate had expired when it signed',
  'assertion.missing': 'the claim names an assertion that is not there',
  'assertion.cbor.invalid': 'an assertion cannot be decoded',
  'claim.cbor.invalid': 'the claim cannot be decoded',
  'manifest.inaccessible': 'a manifest it refers to is not there',
  'general.error': 'the manifest store is malformed',
};

/** The bytes the hash binding covers when the manifest is a sidecar: the whole file, as it is. */
class SidecarBoundAsset implements Asset {
  readonly mimeType: string;
  constructor(
    private readonly data: Buffer,
    private readonly jumbf: Uint8Array,
    format: string,
  ) {
    this.mimeType = format;
  }
  getDataLength(): number {
    return this.data.length;
  }
  async getDataRange(start = 0, length?: number): Promise<Uint8Array> {
    return new Uint8Array(this.data.subarray(start, length === undefined ? undefined : start + length));
  }
  getManifestJUMBF(): Uint8Array {
    return this.jumbf;
  }
  dumpInfo(): string {
    return `${this.mimeType} of ${this.data.length} bytes with a sidecar manifest`;
  }
  getHashExclusionRange() {
    return { start: 0, length: 0 };
  }
  async ensureManifestSpace(): Promise<void> {
    throw new Error('a sidecar-bound asset is read only');
  }
  async writeManifestJUMBF(): Promise<void> {
    throw new Error('a sidecar-bound asset is read only');
  }
}

function base(
  input: VerifyInput,
  format: string,
): Omit<CredentialsReport, 'verdict' | 'summary' | 'binding'> {
  return {
    file: input.name,
    format,
    problems: [],
    actions: [],
    aiGenerated: false,
    ingredients: [],
    trainingMining: {},
  };
}

function unreadable(input: VerifyInput, format: string, why: string): CredentialsReport {
  return {
    ...base(input, format),
    binding: 'none',
    verdict: 'unreadable',
    summary: `${input.name}: cannot be read: ${why}`,
    problems: [{ code: 'file.unreadable', explanation: why }],
  };
}

function firstBytes(bytes: Buffer): string {
  return bytes.subarray(0, 8).toString('hex').replace(/(..)/g, '$1 ').trim() || '(none)';
}

const safe = <T>(f: () => T): T | undefined => {
  try {
    return f();
  } catch {
    return undefined;
  }
};
const text = (v: unknown, max = 500): string | undefined =>
  typeof v === 'string' ? v.slice(0, max) : typeof v === 'number' ? String(v) : undefined;

/**
 * Reads and validates a file's Content Credentials with c2pa-ts: the claim signature, every assertion's
 * hash, and the hard binding to these bytes (embedded, or the sidecar's whole-file data hash). Never
 * throws for what is in the file: a malformed, truncated, forged or hostile input gets a report that
 * says so.
 */
export async function verifyCredentials(
  input: VerifyInput,
  options: VerifyOptions = {},
): Promise<CredentialsReport> {
  const { bytes } = input;
  const format = sniffFormat(bytes);
  if (bytes.length === 0) return unreadable(input, format, 'the file is empty');
  if (bytes.length > MAX_VERIFY_BYTES)
    return unreadable(input, format, `the file is larger than ${MAX_VERIFY_BYTES} bytes`);
  if (input.sidecar && input.sidecar.bytes.length > MAX_SIDECAR_BYTES)
    return unreadable(
      input,
      format,
      `the sidecar ${input.sidecar.name} is larger than ${MAX_SIDECAR_BYTES} bytes`,
    );

  let asset: Asset | undefined;
  let jumbf: Uint8Array | undefined;
  let binding: 'embedded' | 'sidecar' = 'embedded';
  if (embeds(format)) {
    try {
      asset = format === 'image/png' ? new PNG(bytes) : new JPEG(bytes);
      jumbf = asset.getManifestJUMBF();
    } catch (error) {
      return unreadable(
        input,
        format,
        `not a well-formed ${format === 'image/png' ? 'PNG' : 'JPEG'} (${describe(error)}): truncated or damaged`,
      );
    }
  }
  if (!jumbf && input.sidecar) {
    binding = 'sidecar';
    jumbf = input.sidecar.bytes;
    asset = new SidecarBoundAsset(bytes, jumbf, format);
  }
  if (!jumbf || !asset) {
    if (format === 'application/octet-stream')
      return unreadable(
        input,
        format,
        `not a PNG, JPEG or EXR file (it starts ${firstBytes(bytes)}), and no .c2pa sidecar beside it`,
      );
    return {
      ...base(input, format),
      binding: 'none',
      verdict: 'none',
      summary: `${input.name}: no Content Credentials (no C2PA manifest ${embeds(format) ? 'in the file' : 'can be embedded in this format'}, and no .c2pa sidecar beside it)`,
      problems: [{ code: 'manifest.missing', explanation: 'no C2PA manifest in the file or beside it' }],
    };
  }

  let store: ManifestStore | undefined;
  let result: ValidationResult;
  try {
    store = ManifestStore.read(SuperBox.fromBuffer(jumbf as Uint8Array<ArrayBuffer>));
    if (store.manifests.length === 0) {
      result = ValidationResult.error(
        'claim.missing' as never,
        undefined,
        'the manifest store holds no manifest',
      );
    } else result = await store.validate(asset);
  } catch (error) {
    result = ValidationResult.fromError(error instanceof Error ? error : new Error(describe(error)));
    if (result.statusEntries.every((e) => !e.explanation))
      result.statusEntries.push({
        code: 'general.error' as never,
        explanation: describe(error),
        success: false,
      });
  }
  const manifest = safe(() => store?.getActiveManifest());
  if (store && manifest) {
    for (const p of ingredientProblems(store, manifest))
      result.statusEntries.push({ code: p.code as never, explanation: p.explanation, success: false });
  }
  const problems: CredentialProblem[] = result.statusEntries
    .filter((e) => e.success !== true)
    .map((e) => ({
      code: e.code,
      explanation: [WORDS[e.code], e.explanation].filter(Boolean).join(': ') || e.code,
    }));
  const valid = result.isValid && manifest !== undefined && problems.length === 0;
  if (!manifest && problems.length === 0)
    problems.push({ code: 'claim.missing', explanation: 'the manifest store holds no manifest' });

  const report: CredentialsReport = {
    ...base(input, format),
    binding,
    verdict: valid ? 'valid' : 'invalid',
    summary: '',
    problems: dedupe(problems),
    ...(manifest ? await safeDescribe(manifest, options) : {}),
  };
  report.summary = summarize(report);
  return report;
}

/** The manifest a hashed URI names (`self#jumbf=/c2pa/<label>`), by label. */
function manifestLabelOf(uri: string | undefined): string | undefined {
  return uri?.match(/^self#jumbf=\/?c2pa\/([^/]+)/)?.[1];
}

/**
 * Ingredients whose manifests are not in the store, or that lead back to a manifest already on the
 * path (a manifest that is its own ingredient, or a ring of them): c2pa-rs refuses both.
 */
function ingredientProblems(store: ManifestStore, active: Manifest): CredentialProblem[] {
  const problems: CredentialProblem[] = [];
  const walk = (manifest: Manifest, path: string[]) => {
    if (path.length > 50) return;
    for (const a of safe(() => manifest.assertions?.assertions) ?? []) {
      if (!(a instanceof IngredientAssertion)) continue;
      const label = manifestLabelOf(a.activeManifest?.uri ?? a.c2pa_manifest?.uri);
      if (!label) continue;
      if (path.includes(label)) {
        problems.push({
          code: 'ingredient.manifest.cyclic',
          explanation: `an ingredient leads back to manifest ${label.slice(0, 80)}, which is already on its own path (a manifest cannot be its own ingredient)`,
        });
        continue;
      }
      const target = safe(() => store.getManifestByLabel(label));
      if (!target) {
        problems.push({
          code: 'ingredient.manifest.missing',
          explanation: `an ingredient names manifest ${label.slice(0, 80)}, which is not in the manifest store`,
        });
        continue;
      }
      walk(target, [...path, label]);
    }
  };
  walk(active, [active.label ?? '']);
  return problems;
}

async function safeDescribe(manifest: Manifest, options: VerifyOptions): Promise<Partial<CredentialsReport>> {
  try {
    return await describeManifest(manifest, options);
  } catch {
    return {};
  }
}

function dedupe(problems: CredentialProblem[]): CredentialProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.code}|${p.explanation}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function describe(error: unknown): string {
  if (error instanceof RangeError) return 'a length or offset points outside the data';
  return errorMessage(error).replace(/\s+/g, ' ').slice(0, 300);
}

async function describeManifest(
  manifest: Manifest,
  options: VerifyOptions,
): Promise<Partial<CredentialsReport>> {
  const out: Partial<CredentialsReport> = {};
  const claim = manifest.claim;
  const assertions = safe(() => manifest.assertions?.assertions) ?? [];
  out.manifest = {
    label: manifest.label ?? '(no label)',
    claimGenerator:
      [claim?.claimGeneratorName, claim?.claimGeneratorVersion].filter(Boolean).join(' ') || '(none)',
    ...(claim?.title ? { title: text(claim.title)! } : {}),
    ...(claim?.format ? { format: text(claim.format)! } : {}),
    ...(claim?.instanceID ? { instanceId: text(claim.instanceID)! } : {}),
    assertions: assertions.map((a) => a.fullLabel ?? a.label ?? '(unlabelled)').slice(0, 200),
  };
  const sig = safe(() => manifest.signature?.signatureData);
  const cert = sig?.certificate;
  if (cert) {
    const fingerprint = createHash('sha256').update(Buffer.from(cert.rawData)).digest('hex');
    out.signer = {
      subject: cert.subject,
      issuer: cert.issuer,
      serialNumber: cert.serialNumber,
      algorithm: sig?.algorithm?.alg?.name ?? 'unknown',
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
      fingerprint,
    };
    out.trust = await trustOf(cert, sig?.chainCertificates ?? [], fingerprint, options);
  }
  out.actions = [];
  out.ingredients = [];
  out.trainingMining = {};
  for (const a of assertions) {
    if (a instanceof ActionAssertion) {
      for (const act of a.actions.slice(0, 100)) {
        const agent = act.softwareAgent as unknown;
        out.actions.push({
          action: text(act.action) ?? '(unknown)',
          ...(act.digitalSourceType ? { digitalSourceType: text(act.digitalSourceType)! } : {}),
          ...(agent
            ? {
                softwareAgent:
                  typeof agent === 'string'
                    ? agent
                    : [
                        text((agent as { name?: unknown }).name),
                        text((agent as { version?: unknown }).version),
                      ]
                        .filter(Boolean)
                        .join(' '),
              }
            : {}),
          ...(act.description ? { description: text(act.description)! } : {}),
          ...(act.parameters
            ? {
                parameters: Object.fromEntries(
                  Object.entries(act.parameters)
                    .filter(([k]) => k !== 'ingredients')
                    .map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, 500) : v]),
                ),
              }
            : {}),
        });
      }
    } else if (a instanceof IngredientAssertion) {
      const sha = a.metadata?.['io.shotcaller.sha256'];
      out.ingredients.push({
        ...(a.title ? { title: text(a.title)! } : {}),
        ...(a.format ? { format: text(a.format)! } : {}),
        ...(a.relationship ? { relationship: text(a.relationship)! } : {}),
        ...(a.description ? { description: text(a.description)! } : {}),
        ...(typeof sha === 'string' ? { sha256: sha.slice(0, 64) } : {}),
      });
    } else if (a instanceof TrainingAndDataMiningAssertion) {
      for (const [k, v] of Object.entries(a.entries)) out.trainingMining[k] = String(v.choice);
    } else if (a.label === SHOT_ASSERTION || a.label === DELIVERY_ASSERTION) {
      const data = a instanceof ShotcallerAssertion ? a.data : readCbor(a);
      if (data) out.shotcaller = { assertion: a.label, ...data };
    }
  }
  out.aiGenerated = out.actions.some(
    (a) =>
      a.digitalSourceType === DIGITAL_SOURCE_TYPE.trainedAlgorithmicMedia ||
      a.digitalSourceType === DIGITAL_SOURCE_TYPE.compositeWithTrainedAlgorithmicMedia ||
      a.digitalSourceType?.endsWith('/trainedAlgorithmicMedia') ||
      a.digitalSourceType?.endsWith('/compositeWithTrainedAlgorithmicMedia'),
  );
  return out;
}

/** An unknown assertion's CBOR content, as c2pa-ts read it (Shotcaller's own are unknown to the library). */
function readCbor(a: unknown): Record<string, unknown> | undefined {
  const box = (a as { sourceBox?: { contentBoxes?: Array<{ content?: unknown }> } }).sourceBox;
  const content = box?.contentBoxes?.[0]?.content;
  return content && typeof content === 'object' && !Array.isArray(content)
    ? (content as Record<string, unknown>)
    : undefined;
}

async function issuedBy(cert: x509.X509Certificate, issuer: x509.X509Certificate): Promise<boolean> {
  if (cert.issuer !== issuer.subject) return false;
  try {
    return await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

/**
 * Trusted when the chain the manifest carries leads, signature by signature, to a configured trust
 * anchor; otherwise this deployment's own certificate, its development CA's, or untrusted.
 */
async function trustOf(
  cert: x509.X509Certificate,
  chain: x509.X509Certificate[],
  fingerprint: string,
  options: VerifyOptions,
): Promise<CredentialsReport['trust']> {
  const path = [cert, ...chain.slice(0, 10)];
  let linked = path.length;
  for (let i = 0; i + 1 < path.length; i++)
    if (!(await issuedBy(path[i]!, path[i + 1]!))) {
      linked = i + 1;
      break;
    }
  const walk = path.slice(0, linked);
  for (const anchor of options.trustAnchors ?? []) {
    if (walk.some((c) => c.equal(anchor))) return 'trusted';
    if (await issuedBy(walk.at(-1)!, anchor)) return 'trusted';
  }
  const dev = options.identity?.developmentCa;
  if (options.identity?.fingerprint === fingerprint) return dev ? 'development' : 'this-deployment';
  if (dev && (await issuedBy(cert, dev))) return 'development';
  return 'untrusted';
}

function summarize(r: CredentialsReport): string {
  const who = r.signer ? subjectName(r.signer.subject) : 'an unknown signer';
  const trust =
    r.trust === 'trusted'
      ? 'a trusted signer'
      : r.trust === 'this-deployment'
        ? 'this deployment’s certificate'
        : r.trust === 'development'
          ? 'a Shotcaller development certificate, trusted by no C2PA validator'
          : 'a signer outside the configured trust anchors';
  if (r.verdict !== 'valid')
    return `${r.file}: INVALID Content Credentials (${r.problems[0]?.explanation ?? 'unknown reason'})${r.signer ? `; claims to be signed by ${who}` : ''}`;
  const made = r.aiGenerated
    ? `AI-generated${r.actions[0]?.softwareAgent ? ` by ${r.actions[0].softwareAgent}` : ''}`
    : r.actions[0]
      ? `${r.actions[0].action.replace(/^c2pa\./, '')}`
      : 'no actions stated';
  const consents = (r.shotcaller?.compliance as { consentIds?: string[] } | undefined)?.consentIds ?? [];
  return `${r.file}: valid Content Credentials (${r.binding}), signed by ${who} (${trust}); ${made}${consents.length > 0 ? `; relied on consent ${consents.join(', ')}` : ''}`;
}

function subjectName(subject: string): string {
  return subject.match(/CN=([^,]+)/)?.[1]?.trim() ?? subject;
}
