export type {
  GenaiAdapter,
  GeneratedFile,
  GenerationResult,
  GenerationTask,
  Progress,
  Usage,
} from './adapter';
export { type CheckResult, checkProvider } from './check';
export { ComfyUiAdapter, type ComfyUiOptions } from './comfyui-adapter';
export { describeRefusal, type NodeErrors, type PromptRejected, percentFromState } from './comfyui-protocol';
export { ObjectInfo, validateWorkflow, type WorkflowCheck } from './comfyui-validate';
export { createAdapter, ProviderConfig, ProviderMisconfigured, parseProviderConfig } from './create-adapter';
export { chargedUsage, GenerationCancelled, ProviderRejectedTask, ProviderUnavailable } from './errors';
export { HttpTaskAdapter, HttpTaskConfig, retryAfterMs } from './http-task-adapter';
export { LocalAdapter, type LocalAdapterOptions, seedFor } from './local-adapter';
export { verifyFalWebhook, verifyReplicateWebhook, WebhookRejected } from './webhooks';
export { fillWorkflow } from './workflow-template';
