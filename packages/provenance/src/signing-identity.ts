import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as x509 from '@peculiar/x509';
import { errorMessage } from '@shotcaller/contracts';
import { CoseAlgorithmIdentifier, type Signer } from '@trustnxt/c2pa-ts/cose';
import type { ProvenanceConfig } from './config';
import { developmentCertificate, readDevelopmentCertificate } from './dev-certificate';
import { ProvenanceConfigInvalid } from './errors';
import type { VerifyOptions } from './verify';

x509.cryptoProvider.set(globalThis.crypto);

export type SigningAlgorithm = 'ES256' | 'Ed25519';

/**
 * Who signs Content Credentials, and how: the certificate chain and an opaque signer around the key.
 * Nothing here holds the key where a log line or a JSON dump could reach it: it lives in a closure.
 */
export interface SigningIdentity {
  readonly signer: Signer;
  readonly algorithm: SigningAlgorithm;
  /** The signing certificate's subject, e.g. `CN=Shotcaller, O=Northern Pictures`. */
  readonly subject: string;
  readonly issuer: string;
  readonly notAfter: Date;
  /** SHA-256 of the signing certificate (DER), hex. */
  readonly fingerprint: string;
  /** A development certificate Shotcaller made for itself: valid signatures, trusted by nobody. */
  readonly development: boolean;
  /** For a development certificate: the development CA that issued it, for `verify` to recognise. */
  readonly developmentCa?: x509.X509Certificate;
  /** What a C2PA validator will object to in a configured certificate (empty when nothing). */
  readonly profileProblems: string[];
}

const EKU_ANY = '2.5.29.37.0';
const EKU_OCSP = '1.3.6.1.5.5.7.3.9';
const EKU_TIMESTAMP = '1.3.6.1.5.5.7.3.8';

/**
 * What C2PA validators (c2pa-rs's certificate profile, after C2PA 2.1 §14.5) reject in a signing
 * certificate: v3, an allowed algorithm, a digitalSignature key usage, an extended key usage that is
 * neither "any" nor OCSP/time-stamping alone, not a CA, an authority key identifier, validity now.
 */
export function certificateProfileProblems(cert: x509.X509Certificate, now = new Date()): string[] {
  const problems: string[] = [];
  if (now < cert.notBefore) problems.push(`not valid before ${cert.notBefore.toISOString()}`);
  if (now > cert.notAfter) problems.push(`expired on ${cert.notAfter.toISOString()}`);
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  if (!ku || !(ku.usages & x509.KeyUsageFlags.digitalSignature))
    problems.push('no key usage extension with digitalSignature');
  else if (ku.usages & x509.KeyUsageFlags.keyCertSign)
    problems.push('key usage keyCertSign on a signing (end-entity) certificate');
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  if (!eku)
    problems.push(
      'no extended key usage extension (C2PA requires one, e.g. emailProtection or documentSigning)',
    );
  else {
    const usages = eku.usages.map(String);
    if (usages.includes(EKU_ANY)) problems.push('the "any" extended key usage is not allowed');
    if (usages.includes(EKU_OCSP) || usages.includes(EKU_TIMESTAMP))
      problems.push('OCSP-signing or time-stamping extended key usage on a claim-signing certificate');
  }
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  if (bc?.ca) problems.push('a CA certificate cannot sign claims');
  if (!cert.getExtension(x509.AuthorityKeyIdentifierExtension)) problems.push('no authority key identifier');
  return problems;
}

function algorithmOf(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'Ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new ProvenanceConfigInvalid(
    `the signing key is ${key.asymmetricKeyType}${key.asymmetricKeyDetails?.namedCurve ? ` (${key.asymmetricKeyDetails.namedCurve})` : ''}; Shotcaller signs with ES256 (ECDSA P-256) or Ed25519`,
  );
}

function parseChain(pem: string, where: string): x509.X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new ProvenanceConfigInvalid(`${where} holds no PEM certificate`);
  try {
    return blocks.map((b) => new x509.X509Certificate(b));
  } catch (error) {
    throw new ProvenanceConfigInvalid(
      `${where} holds a certificate that cannot be parsed: ${errorMessage(error)}`,
    );
  }
}

/** An identity from a key and a chain already in hand (configured, or the development one). */
export function identityFrom(
  keyPem: string,
  chain: x509.X509Certificate[],
  options: { development: boolean; developmentCa?: x509.X509Certificate; where?: string },
): SigningIdentity {
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    // Never echo the text: it is a secret, or meant to be.
    throw new ProvenanceConfigInvalid(`${options.where ?? 'the signing key'} is not a PEM private key`);
  }
  const algorithm = algorithmOf(key);
  const [cert, ...intermediates] = chain;
  if (!cert) throw new ProvenanceConfigInvalid('the certificate chain is empty');
  const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  if (!Buffer.from(cert.publicKey.rawData).equals(fromKey))
    throw new ProvenanceConfigInvalid(
      'the first certificate of the chain is not the signing key’s: put the signing certificate first, then its intermediates',
    );
  const signer: Signer = {
    certificate: cert,
    chainCertificates: intermediates,
    algorithm: algorithm === 'ES256' ? CoseAlgorithmIdentifier.ES256 : CoseAlgorithmIdentifier.Ed25519,
    // COSE wants ECDSA signatures as r‖s (IEEE P1363), not DER.
    sign: async (payload: Uint8Array) =>
      new Uint8Array(
        algorithm === 'ES256'
          ? sign('sha256', payload, { key, dsaEncoding: 'ieee-p1363' })
          : sign(null, payload, key),
      ),
  };
  return {
    signer,
    algorithm,
    subject: cert.subject,
    issuer: cert.issuer,
    notAfter: cert.notAfter,
    fingerprint: createHash('sha256').update(Buffer.from(cert.rawData)).digest('hex'),
    development: options.development,
    ...(options.developmentCa ? { developmentCa: options.developmentCa } : {}),
    profileProblems: certificateProfileProblems(cert),
  };
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ProvenanceConfigInvalid(
      `cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`,
    );
  }
}

/**
 * The identity Shotcaller signs with: the configured key and chain, or (with none configured) the
 * development certificate under `devDir`, made on first use.
 */
export async function loadSigningIdentity(
  config: ProvenanceConfig,
  defaultDevDir: string,
): Promise<SigningIdentity> {
  const keyPem =
    config.key ?? (config.keyFile ? readText(config.keyFile, 'the signing key file') : undefined);
  const certPem =
    config.cert ?? (config.certFile ? readText(config.certFile, 'the certificate chain file') : undefined);
  if (keyPem && certPem)
    return identityFrom(keyPem, parseChain(certPem, config.certFile ?? 'provenance.cert'), {
      development: false,
      where: config.keyFile ?? 'provenance.key',
    });
  const dev = await developmentCertificate(config.devDir ?? defaultDevDir);
  return identityFrom(dev.keyPem, [dev.signer], { development: true, developmentCa: dev.ca });
}

/** Root certificates from a PEM file, for deciding whether a signer is trusted. */
export function loadTrustAnchors(path: string | undefined): x509.X509Certificate[] {
  if (!path) return [];
  return parseChain(readText(path, 'the trust anchors file'), path);
}

/**
 * What a verifier on this machine should know without the signing key: the configured trust anchors,
 * and this deployment's signer (the configured certificate, or the development one if it exists), so
 * its own credentials are recognised. Makes nothing.
 */
export async function verifyOptionsFor(
  config: ProvenanceConfig,
  defaultDevDir: string,
): Promise<VerifyOptions> {
  const trustAnchors = loadTrustAnchors(config.trustAnchorsFile);
  const certPem =
    config.cert ?? (config.certFile ? readText(config.certFile, 'the certificate chain file') : undefined);
  if (certPem) {
    const [cert] = parseChain(certPem, config.certFile ?? 'provenance.cert');
    return {
      trustAnchors,
      identity: { fingerprint: createHash('sha256').update(Buffer.from(cert!.rawData)).digest('hex') },
    };
  }
  const dev = await readDevelopmentCertificate(config.devDir ?? defaultDevDir);
  if (!dev) return { trustAnchors };
  return {
    trustAnchors,
    identity: {
      fingerprint: createHash('sha256').update(Buffer.from(dev.signer.rawData)).digest('hex'),
      developmentCa: dev.ca,
    },
  };
}
