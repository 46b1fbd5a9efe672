import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadSigningIdentity, signAsset, signSidecar, verifyCredentials } from '../src';
import { delivered, exr, generated, jpg, png, tempDir } from './helpers';

describe('signing and verifying Content Credentials', async () => {
  const identity = await loadSigningIdentity({}, tempDir());

  it('embeds a valid manifest in a PNG and a JPEG, with the AI and Shotcaller assertions', async () => {
    for (const [name, bytes] of [
      ['f.png', png()],
      ['f.jpg', jpg()],
    ] as const) {
      const signed = await signAsset(bytes, generated({ title: name }), identity);
      expect(signed.binding).toBe('embedded');
      const report = await verifyCredentials({ name, bytes: signed.bytes }, { identity });
      expect(report.problems).toEqual([]);
      expect(report.verdict).toBe('valid');
      expect(report.trust).toBe('development');
      expect(report.aiGenerated).toBe(true);
      expect(report.actions[0]).toMatchObject({
        action: 'c2pa.created',
        digitalSourceType:
          'http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia',
        softwareAgent: 'local/shotcaller-procedural 1',
      });
      expect(report.ingredients.map((i) => i.relationship)).toEqual(['inputTo', 'inputTo']);
      expect(report.ingredients[0]!.sha256).toBe('b'.repeat(64));
      expect(report.trainingMining['c2pa.ai_training']).toBe('notAllowed');
      expect(report.shotcaller).toMatchObject({
        compliance: { consentIds: ['consent-ava-deage-2026'], ruleCatalogueVersion: 'sha256:0123456789ab' },
        routing: { policyId: 'nth-default', matchedRules: ['fx-no-performers'] },
      });
      expect(report.summary).toContain('valid Content Credentials');
    }
  });

  it('signs an EXR with a sidecar bound by hash, and a changed byte breaks the binding', async () => {
    const bytes = exr();
    const signed = await signAsset(bytes, generated({ title: 'f.exr', references: [] }), identity);
    expect(signed.binding).toBe('sidecar');
    if (signed.binding !== 'sidecar') return;
    expect(signed.bytes.equals(bytes)).toBe(true);
    const ok = await verifyCredentials({
      name: 'f.exr',
      bytes,
      sidecar: { name: 'f.c2pa', bytes: signed.sidecar },
    });
    expect(ok.verdict).toBe('valid');
    expect(ok.binding).toBe('sidecar');
    const changed = Buffer.from(bytes);
    changed[100] = changed[100]! ^ 1;
    const bad = await verifyCredentials({
      name: 'f.exr',
      bytes: changed,
      sidecar: { name: 'f.c2pa', bytes: signed.sidecar },
    });
    expect(bad.verdict).toBe('invalid');
    expect(bad.problems.map((p) => p.code)).toContain('assertion.dataHash.mismatch');
  });

  it('signs a vendor delivery as a sidecar from its hash alone, without reading it', async () => {
    const bytes = exr(4096);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const sidecar = await signSidecar(sha256, 'image/x-exr', delivered({ sha256 }), identity);
    const report = await verifyCredentials({
      name: 'v.exr',
      bytes,
      sidecar: { name: 'v.c2pa', bytes: sidecar },
    });
    expect(report.verdict).toBe('valid');
    expect(report.aiGenerated).toBe(false);
    expect(report.actions[0]!.action).toBe('c2pa.opened');
    expect(report.trainingMining['cawg.ai_generative_training']).toBe('notAllowed');
    expect(report.shotcaller).toMatchObject({ vendorId: 'ironbark-vfx', sha256 });
  });
});
