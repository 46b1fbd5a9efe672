import { z } from 'zod';

/**
 * How Shotcaller signs Content Credentials (docs/provenance.md). The key and its certificate chain come
 * from files or from PEM text (an environment variable, for secret stores); with neither, a development
 * certificate is made under the data directory and every start-up says so.
 */
export const ProvenanceConfig = z
  .strictObject({
    /** A PEM file with the signing key: PKCS#8 (`BEGIN PRIVATE KEY`), ECDSA P-256 (ES256) or Ed25519. */
    keyFile: z.string().min(1).optional(),
    /** The signing key itself as PEM text (set it from a secret: SHOTCALLER_C2PA_KEY); never logged. */
    key: z.string().min(1).optional(),
    /** A PEM file with the certificate chain: the signing certificate first, then its intermediates. */
    certFile: z.string().min(1).optional(),
    /** The certificate chain itself as PEM text (SHOTCALLER_C2PA_CERT). */
    cert: z.string().min(1).optional(),
    /**
     * Trust anchors for `verify` and the credentials route: a PEM file of root certificates (for
     * example the C2PA trust list). A signer that chains to none of them is reported as untrusted.
     */
    trustAnchorsFile: z.string().min(1).optional(),
    /** Where the development certificate is kept; `<dataDir>/content-credentials` when absent. */
    devDir: z.string().min(1).optional(),
  })
  .refine((c) => !(c.key && c.keyFile), {
    message: 'give the key as key or keyFile, not both',
    path: ['key'],
  })
  .refine((c) => !(c.cert && c.certFile), {
    message: 'give the certificate chain as cert or certFile, not both',
    path: ['cert'],
  })
  .refine((c) => Boolean(c.key || c.keyFile) === Boolean(c.cert || c.certFile), {
    message:
      'a signing key needs its certificate chain and the other way round (key/keyFile with cert/certFile)',
    path: ['cert'],
  });
export type ProvenanceConfig = z.infer<typeof ProvenanceConfig>;
