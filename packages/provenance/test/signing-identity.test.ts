import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import {
  certificateProfileProblems,
  developmentCertificate,
  loadSigningIdentity,
  ProvenanceConfig,
  ProvenanceConfigInvalid,
  signAsset,
  verifyCredentials,
  verifyOptionsFor,
} from '../src';
import { generated, png, tempDir } from './helpers';

/** An Ed25519 signing certificate issued by a CA of its own, as a studio's CA would issue one. */
async function ed25519Chain() {
  const alg = { name: 'Ed25519' } as const;
  const ca = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=Studio CA',
    keys: ca,
    signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
  });
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: 'CN=Northern Pictures, O=Northern Pictures Ltd',
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: alg,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.36'], false),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  return {
    key: `-----BEGIN PRIVATE KEY-----\n${pkcs8}\n-----END PRIVATE KEY-----\n`,
    cert: cert.toString('pem'),
    ca: caCert,
  };
}

describe('the signing identity', () => {
  it('makes one development certificate per directory, shaped as C2PA validators require, and keeps it', async () => {
    const dir = tempDir();
    const first = await loadSigningIdentity({}, dir);
    const again = await loadSigningIdentity({}, dir);
    expect(first.development).toBe(true);
    expect(first.subject).toMatch(/development.*NOT FOR PRODUCTION/);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(first.profileProblems).toEqual([]);
    const dev = await developmentCertificate(dir);
    expect(certificateProfileProblems(dev.signer)).toEqual([]);
    // The CA is a CA; as a claim signer it would be refused.
    expect(certificateProfileProblems(dev.ca)).toContain('a CA certificate cannot sign claims');
  });

  it('signs with a configured Ed25519 key and chain, from PEM text or files, and verify trusts its anchor', async () => {
    const chain = await ed25519Chain();
    const dir = tempDir();
    writeFileSync(join(dir, 'key.pem'), chain.key);
    writeFileSync(join(dir, 'chain.pem'), chain.cert);
    writeFileSync(join(dir, 'anchors.pem'), chain.ca.toString('pem'));
    for (const config of [
      { key: chain.key, cert: chain.cert },
      { keyFile: join(dir, 'key.pem'), certFile: join(dir, 'chain.pem') },
    ]) {
      const identity = await loadSigningIdentity(ProvenanceConfig.parse(config), tempDir());
      expect(identity).toMatchObject({ algorithm: 'Ed25519', development: false, profileProblems: [] });
      // Nothing in the identity a log line could print holds the key.
      expect(JSON.stringify(identity)).not.toContain(chain.key.split('\n')[1]!.slice(0, 20));
      const signed = await signAsset(png(), generated(), identity);
      const options = await verifyOptionsFor(
        { ...config, trustAnchorsFile: join(dir, 'anchors.pem') },
        tempDir(),
      );
      const report = await verifyCredentials({ name: 'f.png', bytes: signed.bytes }, options);
      expect(report).toMatchObject({ verdict: 'valid', trust: 'trusted' });
      expect(report.signer!.subject).toContain('Northern Pictures');
    }
  });

  it('refuses what cannot sign, saying why and never echoing the key', async () => {
    const chain = await ed25519Chain();
    const other = await ed25519Chain();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    const cases: Array<[object, RegExp]> = [
      [{ key: chain.key, cert: other.cert }, /not the signing key’s/],
      [{ key: rsa, cert: chain.cert }, /ES256 \(ECDSA P-256\) or Ed25519/],
      [{ key: 'not a key at all', cert: chain.cert }, /is not a PEM private key/],
      [{ key: chain.key, cert: 'no certificate here' }, /holds no PEM certificate/],
      [{ keyFile: '/nonexistent/key.pem', cert: chain.cert }, /cannot read the signing key file/],
    ];
    for (const [config, message] of cases) {
      const error = await loadSigningIdentity(ProvenanceConfig.parse(config), tempDir()).catch((e) => e);
      expect(error).toBeInstanceOf(ProvenanceConfigInvalid);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('BEGIN PRIVATE KEY');
    }
    expect(ProvenanceConfig.safeParse({ key: chain.key }).success).toBe(false);
    expect(ProvenanceConfig.safeParse({ key: chain.key, keyFile: 'k', cert: chain.cert }).success).toBe(
      false,
    );
  });
});
