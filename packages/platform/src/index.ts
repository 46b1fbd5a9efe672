export {
  ClaimRule,
  ConfigFileUnreadable,
  EmailTarget,
  environmentVariables,
  type LoadConfigOptions,
  loadConfig,
  OidcConfig,
  ShotcallerConfig,
  type ShotcallerConfigInput,
  TokenEntry,
  WebhookTarget,
} from './config';
export { createLogger, type Logger, type LoggerOptions, redactedPaths } from './logger';
