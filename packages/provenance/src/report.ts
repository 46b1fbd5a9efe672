import { z } from 'zod';

/** One finding of a validation, by its C2PA status code, in words. */
export const CredentialProblem = z.object({ code: z.string(), explanation: z.string() });

/**
 * What a file's Content Credentials say, and whether they hold: the shape `shotcaller verify --json`,
 * `GET /v1/shots/:id/outputs/:index/credentials` and the dashboard share.
 */
export const CredentialsReport = z.object({
  /** The file as it was named to the verifier. */
  file: z.string(),
  /** What the bytes are (not what the name says). */
  format: z.string(),
  /** Where the manifest was: inside the file, in a `.c2pa` sidecar, or nowhere. */
  binding: z.enum(['embedded', 'sidecar', 'none']),
  /**
   * `valid`: the signature and the hash binding to these bytes hold. `invalid`: a manifest is there but
   * does not hold (forged, tampered, or for another file). `none`: no Content Credentials at all.
   * `unreadable`: the file (or its sidecar) is not something a manifest can be read from.
   */
  verdict: z.enum(['valid', 'invalid', 'none', 'unreadable']),
  /** One sentence for a person. */
  summary: z.string(),
  /** Why the verdict is not `valid`; empty when it is. */
  problems: z.array(CredentialProblem),
  /** Whether the signer is one to believe: see docs/provenance.md. */
  trust: z.enum(['trusted', 'this-deployment', 'development', 'untrusted']).optional(),
  signer: z
    .object({
      subject: z.string(),
      issuer: z.string(),
      serialNumber: z.string(),
      algorithm: z.string(),
      notBefore: z.string(),
      notAfter: z.string(),
      fingerprint: z.string(),
    })
    .optional(),
  manifest: z
    .object({
      label: z.string(),
      claimGenerator: z.string(),
      title: z.string().optional(),
      format: z.string().optional(),
      instanceId: z.string().optional(),
      assertions: z.array(z.string()),
    })
    .optional(),
  /** The actions, as the manifest states them. */
  actions: z
    .array(
      z.object({
        action: z.string(),
        digitalSourceType: z.string().optional(),
        softwareAgent: z.string().optional(),
        description: z.string().optional(),
        parameters: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .default([]),
  /** True when an action says a trained algorithm made the content (IPTC digital source types). */
  aiGenerated: z.boolean(),
  ingredients: z
    .array(
      z.object({
        title: z.string().optional(),
        format: z.string().optional(),
        relationship: z.string().optional(),
        description: z.string().optional(),
        sha256: z.string().optional(),
      }),
    )
    .default([]),
  /** Each training-and-data-mining use and what the manifest says of it (`notAllowed`…). */
  trainingMining: z.record(z.string(), z.string()).default({}),
  /** Shotcaller's own assertion: the shot, how it was made, the routing and the compliance it relied on. */
  shotcaller: z.record(z.string(), z.unknown()).optional(),
});
export type CredentialsReport = z.infer<typeof CredentialsReport>;
export type CredentialProblem = z.infer<typeof CredentialProblem>;
