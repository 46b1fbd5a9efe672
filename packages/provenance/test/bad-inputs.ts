/**
 * Files a verifier must survive: truncated, wrong magic, huge lengths, forged and tampered manifests,
 * manifests pointing at themselves, sidecars of other files. Each row says what verify must answer;
 * the unit test runs them through verifyCredentials, the CLI test through `shotcaller verify`.
 */
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { JPEG, PNG } from '@trustnxt/c2pa-ts/asset';
import { SuperBox } from '@trustnxt/c2pa-ts/jumbf';
import { IngredientAssertion, RelationshipType } from '@trustnxt/c2pa-ts/manifest';
import {
  type AssetFacts,
  buildManifest,
  identityFrom,
  loadSigningIdentity,
  ShotcallerAssertion,
  type SigningIdentity,
  signAsset,
  signSidecar,
} from '../src';
import { exr, generated, jpg, png, tempDir } from './helpers';

export interface BadInput {
  name: string;
  file: string;
  bytes: Buffer;
  sidecar?: Buffer;
  verdict: 'invalid' | 'none' | 'unreadable' | 'valid';
  /** A phrase the summary or a problem must contain. */
  says: RegExp;
  trust?: string;
}

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** An identity with a certificate shaped by `shape` (for expired, CA, EKU-less signers). */
async function oddIdentity(shape: {
  notAfter?: Date;
  ca?: boolean;
  eku?: boolean;
  name?: string;
}): Promise<SigningIdentity> {
  const keys = (await webcrypto.subtle.generateKey(ECDSA, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const issuerKeys = (await webcrypto.subtle.generateKey(ECDSA, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '0a1b2c',
    subject: `CN=${shape.name ?? 'Somebody Else'}`,
    issuer: 'CN=Some Other CA',
    notBefore: new Date(now - 400 * 86_400_000),
    notAfter: shape.notAfter ?? new Date(now + 86_400_000 * 30),
    publicKey: keys.publicKey,
    signingKey: issuerKeys.privateKey,
    signingAlgorithm: ECDSA,
    extensions: [
      new x509.BasicConstraintsExtension(shape.ca ?? false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | (shape.ca ? x509.KeyUsageFlags.keyCertSign : 0),
        true,
      ),
      ...(shape.eku === false ? [] : [new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.4'], false)]),
      await x509.AuthorityKeyIdentifierExtension.create(issuerKeys.publicKey),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  return identityFrom(`-----BEGIN PRIVATE KEY-----\n${pkcs8}\n-----END PRIVATE KEY-----\n`, [cert], {
    development: false,
  });
}

/** Embeds a manifest the way signAsset does, with a chance to spoil it between steps. */
async function embedWith(
  bytes: Buffer,
  facts: AssetFacts,
  identity: SigningIdentity,
  spoil: {
    beforeSign?: (m: ReturnType<typeof buildManifest>) => void;
    afterSign?: (m: ReturnType<typeof buildManifest>) => void;
    jumbf?: (jumbf: Uint8Array) => Uint8Array;
  },
): Promise<Buffer> {
  const asset = bytes[0] === 0x89 ? new PNG(bytes) : new JPEG(bytes);
  const built = buildManifest(facts, bytes[0] === 0x89 ? 'image/png' : 'image/jpeg', identity);
  spoil.beforeSign?.(built);
  await asset.ensureManifestSpace(built.store.measureSize());
  await built.dataHash.updateWithAsset(asset);
  await built.manifest.sign(identity.signer);
  spoil.afterSign?.(built);
  let jumbf: Uint8Array = built.store.getBytes();
  if (spoil.jumbf) jumbf = spoil.jumbf(jumbf);
  await asset.ensureManifestSpace(jumbf.length);
  await asset.writeManifestJUMBF(jumbf);
  return Buffer.from(await asset.getDataRange());
}

/** A PNG or JPEG with arbitrary bytes where the manifest store goes (through the library's own writer). */
async function withStoreBytes(bytes: Buffer, store: Uint8Array): Promise<Buffer> {
  const asset = bytes[0] === 0x89 ? new PNG(bytes) : new JPEG(bytes);
  await asset.ensureManifestSpace(store.length);
  await asset.writeManifestJUMBF(store);
  return Buffer.from(await asset.getDataRange());
}

function flip(bytes: Buffer, at: number): Buffer {
  const b = Buffer.from(bytes);
  const i = at < 0 ? b.length + at : at;
  b[i] = b[i]! ^ 0x5a;
  return b;
}

/** The offset of a PNG chunk of `type` (its length field). */
function pngChunk(bytes: Buffer, type: string): number {
  let at = 8;
  while (at + 8 <= bytes.length) {
    if (bytes.toString('latin1', at + 4, at + 8) === type) return at;
    at += 12 + bytes.readUInt32BE(at);
  }
  throw new Error(`no ${type} chunk`);
}

/** The offset of the first JPEG APP11 (0xFFEB) segment marker. */
function jpegApp11(bytes: Buffer): number {
  for (let i = 2; i + 1 < bytes.length; i++) if (bytes[i] === 0xff && bytes[i + 1] === 0xeb) return i;
  throw new Error('no APP11');
}

/** A JUMBF superbox nested `depth` deep, each level labelled (a stack-depth attack). */
function nestedJumbf(depth: number): Buffer {
  let inner = Buffer.alloc(0);
  for (let i = 0; i < depth; i++) {
    const label = Buffer.from('c2pa\0');
    const jumd = Buffer.concat([
      Buffer.alloc(4),
      Buffer.from('jumd'),
      Buffer.from('6332706100110010800000aa00389b71', 'hex'),
      Buffer.from([0x03]),
      label,
    ]);
    jumd.writeUInt32BE(jumd.length, 0);
    const box = Buffer.concat([Buffer.alloc(4), Buffer.from('jumb'), jumd, inner]);
    box.writeUInt32BE(box.length, 0);
    inner = box;
  }
  return inner;
}

/** Every row, built once per run: signing is real, so the spoilt files differ from good ones by one thing. */
export async function badInputs(): Promise<BadInput[]> {
  const identity = await loadSigningIdentity({}, tempDir());
  const stranger = await oddIdentity({ name: 'Not This Studio' });
  const facts = generated();
  const cleanPng = png(24, 16);
  const cleanJpg = jpg(24, 16);
  const signedPng = (await signAsset(cleanPng, facts, identity)).bytes;
  const signedJpg = (await signAsset(cleanJpg, generated({ title: 'f.jpg' }), identity)).bytes;
  const otherPng = (await signAsset(png(24, 16, 30), facts, identity)).bytes;
  const rawExr = exr(3000);
  const exrSigned = await signAsset(rawExr, generated({ title: 'f.exr', references: [] }), identity);
  const sidecar = exrSigned.binding === 'sidecar' ? exrSigned.sidecar : Buffer.alloc(0);
  const otherExr = exr(3100);
  const pngStore = new PNG(signedPng).getManifestJUMBF()!;
  const caBX = pngChunk(signedPng, 'caBX');
  const app11 = jpegApp11(signedJpg);
  const mutateStore = (f: (box: SuperBox) => void) => (jumbf: Uint8Array) => {
    const box = SuperBox.fromBuffer(new Uint8Array(jumbf) as Uint8Array<ArrayBuffer>);
    f(box);
    return box.toBuffer(false);
  };
  const manifestBox = (box: SuperBox) => box.contentBoxes[0] as SuperBox;
  const dropChild = (label: string) =>
    mutateStore((box) => {
      const m = manifestBox(box);
      m.contentBoxes = m.contentBoxes.filter((b) => (b as SuperBox).descriptionBox?.label !== label);
    });

  const rows: BadInput[] = [
    {
      name: 'an empty file',
      file: 'empty.png',
      bytes: Buffer.alloc(0),
      verdict: 'unreadable',
      says: /empty/,
    },
    {
      name: 'one byte',
      file: 'one.png',
      bytes: Buffer.from([0x89]),
      verdict: 'unreadable',
      says: /not a PNG, JPEG or EXR/,
    },
    {
      name: 'plain text',
      file: 'notes.png',
      bytes: Buffer.from('hello, this is not an image\n'),
      verdict: 'unreadable',
      says: /not a PNG, JPEG or EXR/,
    },
    {
      name: 'random bytes',
      file: 'noise.jpg',
      bytes: createHash('sha512').update('noise').digest(),
      verdict: 'unreadable',
      says: /not a PNG, JPEG or EXR/,
    },
    {
      name: 'a GIF named .png (wrong magic)',
      file: 'gif.png',
      bytes: Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
      verdict: 'unreadable',
      says: /not a PNG, JPEG or EXR/,
    },
    {
      name: 'a PDF named .jpg',
      file: 'doc.jpg',
      bytes: Buffer.from('%PDF-1.7\n%%EOF\n'),
      verdict: 'unreadable',
      says: /starts 25 50 44 46/,
    },
    {
      name: 'the PNG signature alone',
      file: 'magic.png',
      bytes: signedPng.subarray(0, 8),
      verdict: 'unreadable',
      says: /truncated or damaged/,
    },
    {
      name: 'a PNG cut inside its header chunk',
      file: 'cut-ihdr.png',
      bytes: signedPng.subarray(0, 20),
      verdict: 'unreadable',
      says: /truncated or damaged/,
    },
    {
      name: 'a signed PNG cut inside its manifest',
      file: 'cut-manifest.png',
      bytes: signedPng.subarray(0, caBX + 200),
      verdict: 'unreadable',
      says: /truncated or damaged/,
    },
    {
      name: 'a signed PNG cut before its end chunk',
      file: 'cut-end.png',
      bytes: signedPng.subarray(0, signedPng.length - 12),
      verdict: 'unreadable',
      says: /truncated or damaged/,
    },
    {
      name: 'a signed PNG with bytes appended',
      file: 'appended.png',
      bytes: Buffer.concat([signedPng, Buffer.from('trailing garbage')]),
      verdict: 'invalid',
      says: /not the ones that were signed|truncated or damaged/,
    },
    {
      name: 'a PNG whose first chunk claims 4 GB',
      file: 'huge-ihdr.png',
      bytes: (() => {
        const b = Buffer.from(cleanPng);
        b.writeUInt32BE(0xfffffff0, 8);
        return b;
      })(),
      verdict: 'unreadable',
      says: /truncated or damaged/,
    },
    {
      name: 'a signed PNG whose manifest chunk claims 4 GB',
      file: 'huge-cabx.png',
      bytes: (() => {
        const b = Buffer.from(signedPng);
        b.writeUInt32BE(0xfffffff0, caBX);
        return b;
      })(),
      verdict: 'unreadable',
      says: /truncated or damaged/,
    },
    {
      name: 'a signed PNG whose manifest chunk claims 2 GB',
      file: 'big-cabx.png',
      bytes: (() => {
        const b = Buffer.from(signedPng);
        b.writeUInt32BE(0x7fffffff, caBX);
        return b;
      })(),
      verdict: 'unreadable',
      says: /truncated or damaged/,
    },
    {
      name: 'the JPEG start marker alone',
      file: 'soi.jpg',
      bytes: Buffer.from([0xff, 0xd8, 0xff]),
      verdict: 'unreadable',
      says: /truncated or damaged|no Content Credentials/,
    },
    {
      name: 'a JPEG cut in half',
      file: 'half.jpg',
      bytes: cleanJpg.subarray(0, cleanJpg.length >> 1),
      verdict: 'unreadable',
      says: /truncated or damaged|no Content Credentials/,
    },
    {
      name: 'a signed JPEG cut inside its manifest',
      file: 'cut-manifest.jpg',
      bytes: signedJpg.subarray(0, app11 + 300),
      verdict: 'unreadable',
      says: /truncated or damaged/,
    },
    {
      name: 'a signed JPEG whose manifest segment claims 65535 bytes',
      file: 'long-app11.jpg',
      bytes: (() => {
        const b = Buffer.from(signedJpg);
        b.writeUInt16BE(0xffff, app11 + 2);
        return b;
      })(),
      verdict: 'unreadable',
      says: /truncated or damaged|INVALID/,
    },
    {
      name: 'a signed JPEG whose manifest segment claims 0 bytes',
      file: 'zero-app11.jpg',
      bytes: (() => {
        const b = Buffer.from(signedJpg);
        b.writeUInt16BE(0, app11 + 2);
        return b;
      })(),
      verdict: 'unreadable',
      says: /truncated or damaged|INVALID/,
    },
    {
      name: 'an unsigned PNG',
      file: 'plain.png',
      bytes: cleanPng,
      verdict: 'none',
      says: /no Content Credentials/,
    },
    {
      name: 'an unsigned JPEG',
      file: 'plain.jpg',
      bytes: cleanJpg,
      verdict: 'none',
      says: /no Content Credentials/,
    },
    {
      name: 'an EXR without its sidecar',
      file: 'f.exr',
      bytes: rawExr,
      verdict: 'none',
      says: /no Content Credentials/,
    },
    {
      name: 'an EXR with the sidecar of another file',
      file: 'other.exr',
      bytes: otherExr,
      sidecar,
      verdict: 'invalid',
      says: /not the ones that were signed/,
    },
    {
      name: 'an EXR changed by one byte after signing',
      file: 'f.exr',
      bytes: flip(rawExr, 1500),
      sidecar,
      verdict: 'invalid',
      says: /not the ones that were signed/,
    },
    {
      name: 'an EXR with an empty sidecar',
      file: 'f.exr',
      bytes: rawExr,
      sidecar: Buffer.alloc(0),
      verdict: 'invalid',
      says: /malformed|cannot|missing|no manifest/i,
    },
    {
      name: 'an EXR with a truncated sidecar',
      file: 'f.exr',
      bytes: rawExr,
      sidecar: sidecar.subarray(0, sidecar.length >> 1),
      verdict: 'invalid',
      says: /malformed|outside|cannot/i,
    },
    {
      name: 'an EXR whose sidecar is a PNG',
      file: 'f.exr',
      bytes: rawExr,
      sidecar: cleanPng,
      verdict: 'invalid',
      says: /malformed|cannot|outside/i,
    },
    {
      name: 'an EXR whose sidecar is noise',
      file: 'f.exr',
      bytes: rawExr,
      sidecar: createHash('sha512').update('x').digest(),
      verdict: 'invalid',
      says: /malformed|cannot|outside/i,
    },
    {
      name: 'an unknown format with a valid sidecar of another file',
      file: 'clip.mov',
      bytes: Buffer.from('not really a movie'),
      sidecar,
      verdict: 'invalid',
      says: /not the ones that were signed/,
    },
    {
      name: 'a PNG changed by one pixel byte after signing',
      file: 'pixel.png',
      bytes: flip(signedPng, -20),
      verdict: 'invalid',
      says: /not the ones that were signed/,
    },
    {
      name: 'a JPEG changed by one byte after signing',
      file: 'byte.jpg',
      bytes: flip(signedJpg, -10),
      verdict: 'invalid',
      says: /not the ones that were signed|truncated or damaged/,
    },
    {
      name: 'a PNG whose manifest came from another PNG',
      file: 'transplant.png',
      bytes: await withStoreBytes(cleanPng, new PNG(otherPng).getManifestJUMBF()!),
      verdict: 'invalid',
      says: /not the ones that were signed/,
    },
    {
      name: 'a PNG whose manifest store is noise',
      file: 'noise-store.png',
      bytes: await withStoreBytes(cleanPng, createHash('sha512').update('store').digest()),
      verdict: 'invalid',
      says: /malformed|outside|cannot/i,
    },
    {
      name: 'a PNG whose manifest store is empty',
      file: 'empty-store.png',
      bytes: await withStoreBytes(cleanPng, new Uint8Array(8)),
      verdict: 'invalid',
      says: /malformed|outside|cannot|no manifest/i,
    },
    {
      name: 'a PNG whose manifest store box claims 4 GB',
      file: 'huge-store.png',
      bytes: await withStoreBytes(
        cleanPng,
        (() => {
          const b = Buffer.from(pngStore);
          b.writeUInt32BE(0xfffffff0, 0);
          return b;
        })(),
      ),
      verdict: 'invalid',
      says: /malformed|outside|cannot/i,
    },
    {
      name: 'a PNG whose manifest store uses an extended 2^60 length',
      file: 'xl-store.png',
      bytes: await withStoreBytes(
        cleanPng,
        (() => {
          const b = Buffer.concat([
            Buffer.from([0, 0, 0, 1]),
            Buffer.from('jumb'),
            Buffer.from([0x10, 0, 0, 0, 0, 0, 0, 0]),
            Buffer.from(pngStore.subarray(8)),
          ]);
          return b;
        })(),
      ),
      verdict: 'invalid',
      says: /malformed|outside|cannot/i,
    },
    {
      name: 'a PNG whose manifest store nests 3,000 boxes deep',
      file: 'deep.png',
      bytes: await withStoreBytes(cleanPng, nestedJumbf(3000)),
      verdict: 'invalid',
      says: /malformed|outside|cannot|no manifest/i,
    },
    {
      name: 'a manifest with a forged signature',
      file: 'forged.png',
      bytes: await embedWith(
        cleanPng,
        facts,
        { ...identity, signer: { ...identity.signer, sign: async () => new Uint8Array(64).fill(7) } },
        {},
      ),
      verdict: 'invalid',
      says: /signature does not match/,
    },
    {
      name: 'a manifest signed by a key that is not the certificate’s',
      file: 'wrong-key.png',
      bytes: await embedWith(
        cleanPng,
        facts,
        {
          ...identity,
          signer: { ...stranger.signer, certificate: identity.signer.certificate, chainCertificates: [] },
        },
        {},
      ),
      verdict: 'invalid',
      says: /signature does not match/,
    },
    {
      name: 'a manifest whose Shotcaller assertion was edited after signing',
      file: 'edited.png',
      bytes: await embedWith(cleanPng, facts, identity, {
        afterSign: ({ manifest }) => {
          const a = manifest.assertions!.assertions.find(
            (x) => x instanceof ShotcallerAssertion,
          ) as ShotcallerAssertion;
          a.data = {
            ...a.data,
            compliance: { ...(a.data.compliance as object), consentIds: ['consent-XXX-forged-202'] },
          };
        },
      }),
      verdict: 'invalid',
      says: /changed after signing/,
    },
    {
      name: 'a manifest with its signature box removed',
      file: 'unsigned-claim.png',
      bytes: await embedWith(cleanPng, facts, identity, { jumbf: dropChild('c2pa.signature') }),
      verdict: 'invalid',
      says: /not signed|malformed|missing/i,
    },
    {
      name: 'a manifest with its claim removed',
      file: 'no-claim.png',
      bytes: await embedWith(cleanPng, facts, identity, { jumbf: dropChild('c2pa.claim.v2') }),
      verdict: 'invalid',
      says: /no claim|malformed|missing/i,
    },
    {
      name: 'a manifest with its assertions removed',
      file: 'no-assertions.png',
      bytes: await embedWith(cleanPng, facts, identity, { jumbf: dropChild('c2pa.assertions') }),
      verdict: 'invalid',
      says: /assertion store/i,
    },
    {
      name: 'a manifest store holding no manifest',
      file: 'no-manifest.png',
      bytes: await embedWith(cleanPng, facts, identity, {
        jumbf: mutateStore((b) => {
          b.contentBoxes = [];
        }),
      }),
      verdict: 'invalid',
      says: /no manifest|malformed|missing/i,
    },
    {
      name: 'a manifest whose ingredient points at the manifest itself',
      file: 'self.png',
      bytes: await embedWith(cleanPng, generated({ references: [] }), identity, {
        beforeSign: ({ manifest }) => {
          const i = IngredientAssertion.createV3(RelationshipType.ParentOf);
          i.title = 'me';
          i.format = 'image/png';
          i.activeManifest = {
            uri: `self#jumbf=/c2pa/${manifest.label}`,
            hash: new Uint8Array(32),
            algorithm: 'SHA-256',
          };
          i.validationResults = { activeManifest: { success: [], informational: [], failure: [] } };
          manifest.addAssertion(i);
        },
      }),
      verdict: 'invalid',
      says: /its own ingredient/,
    },
    {
      name: 'a manifest whose ingredient points at a manifest that is not there',
      file: 'dangling.png',
      bytes: await embedWith(cleanPng, generated({ references: [] }), identity, {
        beforeSign: ({ manifest }) => {
          const i = IngredientAssertion.createV3(RelationshipType.ParentOf);
          i.title = 'gone';
          i.format = 'image/png';
          i.activeManifest = {
            uri: 'self#jumbf=/c2pa/urn:c2pa:00000000-0000-0000-0000-000000000000',
            hash: new Uint8Array(32),
            algorithm: 'SHA-256',
          };
          i.validationResults = { activeManifest: { success: [], informational: [], failure: [] } };
          manifest.addAssertion(i);
        },
      }),
      verdict: 'invalid',
      says: /not in the manifest store/,
    },
    {
      name: 'a manifest signed with an expired certificate',
      file: 'expired.png',
      bytes: await embedWith(
        cleanPng,
        facts,
        await oddIdentity({ notAfter: new Date(Date.now() - 86_400_000) }),
        {},
      ),
      verdict: 'invalid',
      says: /expired|outside|certificate/i,
    },
    {
      name: 'a manifest signed with a CA certificate',
      file: 'ca-signed.png',
      bytes: await embedWith(cleanPng, facts, await oddIdentity({ ca: true }), {}),
      verdict: 'invalid',
      says: /certificate/i,
    },
    {
      name: 'a manifest signed with a certificate without extended key usage',
      file: 'no-eku.png',
      bytes: await embedWith(cleanPng, facts, await oddIdentity({ eku: false }), {}),
      verdict: 'invalid',
      says: /certificate/i,
    },
    {
      name: 'a PNG signed by another studio’s key (valid, but not ours and untrusted)',
      file: 'stranger.png',
      bytes: (await signAsset(cleanPng, facts, stranger)).bytes,
      verdict: 'valid',
      says: /outside the configured trust anchors/,
      trust: 'untrusted',
    },
    {
      name: 'a vendor delivery sidecar for other bytes',
      file: 'vendor.exr',
      bytes: rawExr,
      sidecar: await signSidecar(
        '0'.repeat(64),
        'image/x-exr',
        {
          kind: 'delivered',
          title: 'vendor.exr',
          shot: facts.shot,
          vendorId: 'v',
          ticketId: 't',
          sha256: '0'.repeat(64),
          receivedAt: new Date(),
        },
        identity,
      ),
      verdict: 'invalid',
      says: /not the ones that were signed/,
    },
  ];
  return rows;
}
