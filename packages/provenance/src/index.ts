export type { X509Certificate } from '@peculiar/x509';
export { ProvenanceConfig } from './config';
export {
  DEVELOPMENT_CA_NAME,
  DEVELOPMENT_SIGNER_NAME,
  type DevelopmentCertificate,
  developmentCertificate,
  readDevelopmentCertificate,
} from './dev-certificate';
export { ProvenanceConfigInvalid, SigningFailed } from './errors';
export { type AssetFormat, embeds, formatOfName, sidecarName, sniffFormat } from './formats';
export {
  type AssetFacts,
  buildManifest,
  C2PA_SPEC_VERSION,
  CLAIM_GENERATOR,
  DELIVERY_ASSERTION,
  type DeliveredAsset,
  DIGITAL_SOURCE_TYPE,
  type GeneratedAsset,
  type ReferenceInput,
  SHOT_ASSERTION,
  ShotcallerAssertion,
  type ShotRef,
  shotRefOf,
} from './manifest';
export { CredentialProblem, CredentialsReport } from './report';
export { type SignedAsset, signAsset, signSidecar } from './sign';
export {
  certificateProfileProblems,
  identityFrom,
  loadSigningIdentity,
  loadTrustAnchors,
  type SigningAlgorithm,
  type SigningIdentity,
  verifyOptionsFor,
} from './signing-identity';
export {
  MAX_SIDECAR_BYTES,
  MAX_VERIFY_BYTES,
  type VerifyInput,
  type VerifyOptions,
  verifyCredentials,
} from './verify';
