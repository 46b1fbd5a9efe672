export type { GenaiAdapter, GeneratedFile, GenerationResult, GenerationTask, Progress } from './adapter';
export { ComfyUiAdapter, type ComfyUiOptions } from './comfyui-adapter';
export { createAdapter, ProviderConfig, ProviderMisconfigured } from './create-adapter';
export { GenerationCancelled, ProviderRejectedTask, ProviderUnavailable } from './errors';
export { HttpTaskAdapter, HttpTaskConfig, retryAfterMs } from './http-task-adapter';
export { LocalAdapter, type LocalAdapterOptions, seedFor } from './local-adapter';
export {
  type ManifestInput,
  ProvenanceManifest,
  trainedAlgorithmicMedia,
  verifyManifest,
  writeManifest,
} from './provenance';
export { fillWorkflow } from './workflow-template';
