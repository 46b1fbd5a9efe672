export {
  ConfigFileUnreadable,
  environmentVariables,
  type LoadConfigOptions,
  loadConfig,
  ShotcallerConfig,
  type ShotcallerConfigInput,
  TokenEntry,
} from './config';
export { createLogger, type Logger, type LoggerOptions, redactedPaths } from './logger';
