export {
  ConfigFileUnreadable,
  EmailTarget,
  environmentVariables,
  type LoadConfigOptions,
  loadConfig,
  ShotcallerConfig,
  type ShotcallerConfigInput,
  TokenEntry,
  WebhookTarget,
} from './config';
export { createLogger, type Logger, type LoggerOptions, redactedPaths } from './logger';
