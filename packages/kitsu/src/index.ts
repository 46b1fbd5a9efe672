export { KitsuNotFound, KitsuRequestFailed, KitsuShapeInvalid, KitsuUnreachable } from './errors';
export { type ImportOptions, type ImportOutcome, type ImportSink, importFromKitsu } from './import';
export { KitsuClient, type KitsuCredentials } from './kitsu-client';
export {
  KitsuMapping,
  type KitsuMappingInput,
  type KitsuShotContext,
  type MappedShot,
  mapKitsuShot,
} from './mapping';
export { commentFor, KitsuStatuses, KitsuSync, type KitsuSyncOptions } from './sync-back';
export { type WatchOptions, watchKitsu } from './watch';
