import { randomBytes, webcrypto } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

/** The names say it: nobody should mistake these for a studio's identity. */
export const DEVELOPMENT_CA_NAME =
  'CN=Shotcaller development CA - NOT FOR PRODUCTION, O=Shotcaller (development only)';
export const DEVELOPMENT_SIGNER_NAME =
  'CN=Shotcaller development signer - NOT FOR PRODUCTION, O=Shotcaller (development only)';

const FILE = 'development-signer.pem';
const DAY = 86_400_000;
/** A development certificate this close to its end is replaced. */
const RENEW_BEFORE = 7 * DAY;

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const EKU_EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
const EKU_DOCUMENT_SIGNING = '1.3.6.1.5.5.7.3.36';

export interface DevelopmentCertificate {
  keyPem: string;
  signer: x509.X509Certificate;
  ca: x509.X509Certificate;
  /** Where it is kept. */
  path: string;
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f; // a positive INTEGER
  return b.toString('hex');
}

function pemBlocks(text: string, label: string): string[] {
  return text.match(new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`, 'g')) ?? [];
}

/** The development certificate kept under `dir`, if there is one (never makes one). */
export async function readDevelopmentCertificate(dir: string): Promise<DevelopmentCertificate | undefined> {
  return read(join(dir, FILE));
}

async function read(path: string): Promise<DevelopmentCertificate | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  try {
    const [keyPem] = pemBlocks(text, 'PRIVATE KEY');
    const [signerPem, caPem] = pemBlocks(text, 'CERTIFICATE');
    if (!keyPem || !signerPem || !caPem) return undefined;
    const signer = new x509.X509Certificate(signerPem);
    if (signer.notAfter.getTime() - Date.now() < RENEW_BEFORE) return undefined;
    return { keyPem, signer, ca: new x509.X509Certificate(caPem), path };
  } catch {
    return undefined;
  }
}

/**
 * A development CA and a signing certificate it issued, shaped as C2PA validators require (C2PA 2.1
 * §14.5: key usage digitalSignature, an extended key usage, an authority key identifier, not a CA, not
 * self-signed), so signatures validate everywhere while the signer is reported untrusted. Kept in one
 * file under `dir` (the key readable by its owner only), written whole or not at all.
 */
export async function developmentCertificate(dir: string): Promise<DevelopmentCertificate> {
  const path = join(dir, FILE);
  const existing = await read(path);
  if (existing) return existing;
  const now = Date.now();
  const notBefore = new Date(now - DAY);
  const caKeys = (await webcrypto.subtle.generateKey(ECDSA, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: DEVELOPMENT_CA_NAME,
    notBefore,
    notAfter: new Date(now + 5 * 365 * DAY),
    keys: caKeys,
    signingAlgorithm: ECDSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const keys = (await webcrypto.subtle.generateKey(ECDSA, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const signer = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: DEVELOPMENT_SIGNER_NAME,
    issuer: ca.subject,
    notBefore,
    notAfter: new Date(now + 365 * DAY),
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ECDSA,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([EKU_EMAIL_PROTECTION, EKU_DOCUMENT_SIGNING], false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trim()}\n-----END PRIVATE KEY-----\n`;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(
    temp,
    [
      '# Shotcaller development signing credentials: NOT FOR PRODUCTION. Delete this file to make new ones.',
      keyPem.trim(),
      signer.toString('pem'),
      ca.toString('pem'),
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  await rename(temp, path);
  // Another process may have written its own at the same moment: use whichever landed.
  return (await read(path)) ?? { keyPem, signer, ca, path };
}
