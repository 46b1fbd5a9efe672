export {
  ConfigFileUnreadable,
  environmentVariables,
  type LoadConfigOptions,
  loadConfig,
  ShotcallerConfig,
  type ShotcallerConfigInput,
  TokenEntry,
  WebhookTarget,
  EmailTarget,
} from './config';
export { createLogger, type Logger, type LoggerOptions, redactedPaths } from './logger';
