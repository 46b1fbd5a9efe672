import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CredentialsReport,
  loadSigningIdentity,
  readDevelopmentCertificate,
  signAsset,
  signSidecar,
} from '@shotcaller/provenance';
import { createArtifactStore } from '@shotcaller/storage';
import { aShotRequest, eventually } from '@shotcaller/testkit';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceReading, readWithReference } from '../support/c2pa-reference';
import { runShotcaller } from '../support/shotcaller';

const TRAINED = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';
const TDM = ['c2pa.data_mining', 'c2pa.ai_inference', 'c2pa.ai_generative_training', 'c2pa.ai_training'];

let app: Awaited<ReturnType<typeof runShotcaller>>;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sc-c2pa-'));
  app = await runShotcaller(['api', 'router', 'genai-worker'], { dataDir, genai: { previewScale: 0.0625 } });
});
afterAll(() => app?.running.stop());

/** An assertion's data as c2pa-rs reports it (JSON; the shapes are the C2PA specification's). */
interface AssertionData {
  actions: Array<{
    action: string;
    digitalSourceType?: string;
    parameters: Record<string, unknown[] | string>;
  }>;
  entries: Record<string, { use: string }>;
  [key: string]: unknown;
}
const assertion = (m: NonNullable<ReferenceReading['manifest']>, label: string) =>
  m.assertions.find((a) => a.label === label)?.data as unknown as AssertionData;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const work = () => mkdtempSync(join(tmpdir(), 'sc-c2pa-files-'));

/** The development CA that signed this deployment's signer, as a trust anchor file for c2pa-rs. */
async function devCaFile(): Promise<string> {
  const dev = await readDevelopmentCertificate(join(dataDir, 'content-credentials'));
  const path = join(work(), 'dev-ca.pem');
  writeFileSync(path, dev!.ca.toString('pem'));
  return path;
}

describe('Content Credentials, read by the C2PA reference implementation (c2pa-rs via c2pa-python)', () => {
  it('every delivered frame of a shot has an active manifest that validates, with the AI, ingredient, Shotcaller and training-mining assertions', async () => {
    // A reference asset in the artifact store, so its hash can be recorded as an ingredient.
    const store = createArtifactStore(app.config.storage, dataDir);
    const reference = new PNG({ width: 8, height: 8 });
    reference.data.fill(90);
    const refBytes = PNG.sync.write(reference);
    const ref = await store.put('references/NTH/mood.png', { bytes: refBytes }, { sha256: sha(refBytes) });
    const { shot } = await app.client().submitShot(
      aShotRequest({
        category: 'destruction',
        deliverable: 'temp',
        frames: { start: 1001, end: 1012 },
        referenceAssets: [
          { uri: ref.uri, kind: 'concept', rights: 'owned' },
          { uri: 'https://example.com/elsewhere.jpg', kind: 'reference', rights: 'licensed' },
        ],
      }),
    );
    const done = await eventually(
      () => app.client().getShot(shot.id),
      (s) => s.state === 'delivered',
      'the shot delivered',
      60_000,
    );
    const completed = done.history!.find((e) => e.type === 'io.shotcaller.genai.task.completed.v2')!.data as {
      outputs: Array<{ uri: string; sha256: string }>;
    };
    expect(completed.outputs).toHaveLength(12);
    const paths = completed.outputs.map((o) => fileURLToPath(o.uri));
    for (const [i, p] of paths.entries()) expect(sha(readFileSync(p))).toBe(completed.outputs[i]!.sha256);

    const untrusted = await readWithReference(paths);
    const trusted = await readWithReference(paths, { trustAnchors: await devCaFile() });
    for (const [i, read] of untrusted.files.entries()) {
      expect(read.error, read.file).toBeUndefined();
      // Signature and hash binding hold; the only note is that nobody trusts a development certificate…
      expect(read.state).toBe('Valid');
      expect(read.status).toEqual(['signingCredential.untrusted']);
      // …and with its CA as a trust anchor, c2pa-rs accepts the whole chain.
      expect(trusted.files[i]!.state).toBe('Trusted');
      expect(trusted.files[i]!.status).toEqual([]);

      const m = read.manifest!;
      expect(m.claim_generator_info?.[0]?.name).toBe('Shotcaller');
      expect(m.signature_info?.common_name).toMatch(/Shotcaller development signer - NOT FOR PRODUCTION/);
      const data = (label: string) => assertion(m, label);
      const [created] = data('c2pa.actions.v2').actions;
      expect(created).toMatchObject({
        action: 'c2pa.created',
        digitalSourceType: TRAINED,
        softwareAgent: { name: 'local/shotcaller-procedural', version: '1' },
      });
      expect(created!.parameters['io.shotcaller.workflowHash']).toMatch(/^[a-f0-9]{64}$/);
      expect(created!.parameters.ingredients).toHaveLength(2);
      expect(m.ingredients).toEqual([
        expect.objectContaining({
          title: ref.uri,
          relationship: 'inputTo',
          metadata: { 'io.shotcaller.sha256': sha(refBytes) },
        }),
        expect.objectContaining({ title: 'https://example.com/elsewhere.jpg', relationship: 'inputTo' }),
      ]);
      for (const use of TDM) expect(data('c2pa.training-mining').entries[use]).toEqual({ use: 'notAllowed' });
      expect(data('io.shotcaller.shot')).toMatchObject({
        shot: { id: shot.id, show: 'NTH', attempt: 1 },
        frame: 1001 + i,
        generation: { provider: 'local', model: 'shotcaller-procedural' },
        routing: { route: 'genai', decidedBy: expect.any(String), policyId: expect.any(String) },
        compliance: {
          outcome: 'allow',
          consentIds: [],
          approvalIds: [],
          ruleCatalogueVersion: expect.stringMatching(/^sha256:[a-f0-9]{16}$/),
        },
      });
    }

    // One byte changed after signing breaks the hash binding.
    const dir = work();
    const tampered = Buffer.from(readFileSync(paths[0]!));
    const at = tampered.length - 20; // inside the last image data chunk, before IEND
    tampered[at] = tampered[at]! ^ 0x01;
    writeFileSync(join(dir, 'tampered.png'), tampered);
    const [broken] = (await readWithReference([join(dir, 'tampered.png')])).files;
    expect(broken!.state).toBe('Invalid');
    expect(broken!.status).toContain('assertion.dataHash.mismatch');

    // Shotcaller's own credentials route agrees, frame by frame.
    const { data: report } = await app
      .client()
      .request('GET', `/v1/shots/${shot.id}/outputs/0/credentials`, CredentialsReport);
    expect(report).toMatchObject({ verdict: 'valid', trust: 'development', aiGenerated: true });
  }, 120_000);

  it('reports a manifest signed by another key as another signer, untrusted', async () => {
    const other = await loadSigningIdentity({}, work());
    const frame = new PNG({ width: 16, height: 9 });
    frame.data.fill(200);
    const signed = await signAsset(
      PNG.sync.write(frame),
      {
        kind: 'generated',
        title: 'elsewhere.png',
        shot: { id: 'x', show: 'NTH', sequence: 'S', shot: 'S_0010', attempt: 1 },
        provider: 'p',
        model: 'm',
        modelVersion: '1',
        workflowHash: 'f'.repeat(64),
        seed: 1,
        prompt: 'x',
        startedAt: new Date(),
        finishedAt: new Date(),
        references: [],
        routing: {
          route: 'genai',
          policyId: 'p',
          policyVersion: 'v',
          decidedBy: 'policy',
          matchedRules: [],
          overridden: false,
        },
        compliance: { outcome: 'allow', consentIds: [], approvalIds: [], ruleCatalogueVersion: 'sha256:0' },
      },
      other,
    );
    const path = join(work(), 'elsewhere.png');
    writeFileSync(path, signed.bytes);
    // Against this deployment's development CA, the other key's chain does not lead anywhere trusted.
    const [read] = (await readWithReference([path], { trustAnchors: await devCaFile() })).files;
    expect(read!.state).toBe('Valid');
    expect(read!.status).toEqual(['signingCredential.untrusted']);
    expect(other.fingerprint).not.toBe(
      (await loadSigningIdentity({}, join(dataDir, 'content-credentials'))).fingerprint,
    );
  });

  it('binds an EXR and a vendor delivery through .c2pa sidecars that the reference implementation validates', async () => {
    const identity = await loadSigningIdentity({}, join(dataDir, 'content-credentials'));
    const dir = work();
    const exr = Buffer.alloc(4096, 3);
    Buffer.from([0x76, 0x2f, 0x31, 0x01]).copy(exr);
    const signed = await signAsset(
      exr,
      {
        kind: 'generated',
        title: 'S_0010.1001.exr',
        shot: { id: 'x', show: 'NTH', sequence: 'S', shot: 'S_0010', attempt: 1 },
        provider: 'comfyui',
        model: 'flux',
        modelVersion: 'dev',
        workflowHash: 'e'.repeat(64),
        seed: 7,
        prompt: 'x',
        startedAt: new Date(),
        finishedAt: new Date(),
        references: [
          { uri: 'plates/S_0010.exr', kind: 'plate', rights: 'owned', unhashed: 'not in the store' },
        ],
        routing: {
          route: 'genai',
          policyId: 'p',
          policyVersion: 'v',
          decidedBy: 'policy',
          matchedRules: [],
          overridden: false,
        },
        compliance: {
          outcome: 'allow',
          consentIds: ['c1'],
          approvalIds: [],
          ruleCatalogueVersion: 'sha256:0',
        },
      },
      identity,
    );
    expect(signed.binding).toBe('sidecar');
    if (signed.binding !== 'sidecar') return;
    writeFileSync(join(dir, 'S_0010.1001.exr'), signed.bytes);
    writeFileSync(join(dir, 'S_0010.1001.c2pa'), signed.sidecar);
    const changed = Buffer.from(exr);
    changed[2000] = 9;
    writeFileSync(join(dir, 'changed.exr'), changed);
    const vendorFile = Buffer.alloc(2048, 5);
    Buffer.from([0x76, 0x2f, 0x31, 0x01]).copy(vendorFile);
    writeFileSync(join(dir, 'vendor.exr'), vendorFile);
    writeFileSync(
      join(dir, 'vendor.c2pa'),
      await signSidecar(
        sha(vendorFile),
        'image/x-exr',
        {
          kind: 'delivered',
          title: 'vendor.exr',
          shot: { id: 'x', show: 'NTH', sequence: 'S', shot: 'S_0010', attempt: 1 },
          vendorId: 'ironbark',
          ticketId: 't1',
          sha256: sha(vendorFile),
          receivedAt: new Date(),
        },
        identity,
      ),
    );
    const { files } = await readWithReference([
      `${join(dir, 'S_0010.1001.exr')}=${join(dir, 'S_0010.1001.c2pa')}`,
      `${join(dir, 'changed.exr')}=${join(dir, 'S_0010.1001.c2pa')}`,
      `${join(dir, 'vendor.exr')}=${join(dir, 'vendor.c2pa')}`,
    ]);
    expect(files[0]).toMatchObject({ state: 'Valid', status: ['signingCredential.untrusted'] });
    const actions = assertion(files[0]!.manifest!, 'c2pa.actions.v2');
    expect(actions.actions[0]!.digitalSourceType).toBe(
      'http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia',
    );
    expect(files[1]!.state).toBe('Invalid');
    expect(files[1]!.status).toContain('assertion.dataHash.mismatch');
    expect(files[2]).toMatchObject({ state: 'Valid', status: ['signingCredential.untrusted'] });
    const vendor = files[2]!.manifest!;
    expect(assertion(vendor, 'c2pa.actions.v2').actions[0]!.action).toBe('c2pa.opened');
    expect(assertion(vendor, 'c2pa.training-mining').entries['c2pa.ai_training']).toEqual({
      use: 'notAllowed',
    });
  });
});
