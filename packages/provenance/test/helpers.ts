import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { DeliveredAsset, GeneratedAsset } from '../src';

export const tempDir = (prefix = 'sc-prov-') => mkdtempSync(join(tmpdir(), prefix));

export function png(width = 16, height = 12, shade = 120): Buffer {
  const p = new PNG({ width, height });
  for (let i = 0; i < p.data.length; i += 4) {
    p.data[i] = shade;
    p.data[i + 1] = (i / 4) % 255;
    p.data[i + 2] = 200;
    p.data[i + 3] = 255;
  }
  return PNG.sync.write(p);
}

export function jpg(width = 16, height = 12): Buffer {
  const data = Buffer.alloc(width * height * 4, 180);
  return Buffer.from(jpeg.encode({ width, height, data }, 90).data);
}

/** An OpenEXR file's first bytes: the magic and version, then a body (never decoded here). */
export function exr(size = 2048): Buffer {
  const b = Buffer.alloc(size, 7);
  Buffer.from([0x76, 0x2f, 0x31, 0x01, 0x02, 0x00, 0x00, 0x00]).copy(b);
  return b;
}

export const generated = (over: Partial<GeneratedAsset> = {}): GeneratedAsset => ({
  kind: 'generated',
  title: 'COL_0010.1001.png',
  shot: { id: 'sh_1', show: 'NTH', episode: 'EP01', sequence: 'COL', shot: 'COL_0010', attempt: 1 },
  frame: 1001,
  provider: 'local',
  model: 'shotcaller-procedural',
  modelVersion: '1',
  workflowHash: 'a'.repeat(64),
  seed: 42,
  prompt: 'the tower falls',
  startedAt: new Date('2026-01-01T00:00:00Z'),
  finishedAt: new Date('2026-01-01T00:01:00Z'),
  references: [
    { uri: 'refs/poster.jpg', kind: 'reference', rights: 'owned', sha256: 'b'.repeat(64) },
    {
      uri: 's3://elsewhere/plate.exr',
      kind: 'plate',
      rights: 'licensed',
      unhashed: 'not in the artifact store',
    },
  ],
  routing: {
    route: 'genai',
    provider: 'local',
    policyId: 'nth-default',
    policyVersion: 'c'.repeat(64),
    decidedBy: 'policy',
    matchedRules: ['fx-no-performers'],
    overridden: false,
  },
  compliance: {
    outcome: 'allow',
    consentIds: ['consent-ava-deage-2026'],
    approvalIds: ['approval-1'],
    ruleCatalogueVersion: 'sha256:0123456789ab',
  },
  ...over,
});

export const delivered = (over: Partial<DeliveredAsset> = {}): DeliveredAsset => ({
  kind: 'delivered',
  title: 'COL_0030_comp_v002.exr',
  shot: { id: 'sh_2', show: 'NTH', sequence: 'COL', shot: 'COL_0030', attempt: 1 },
  vendorId: 'ironbark-vfx',
  ticketId: 'tk_1',
  sha256: 'd'.repeat(64),
  receivedAt: new Date('2026-01-02T00:00:00Z'),
  ...over,
});
