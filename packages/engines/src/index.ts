export { redisServerBinary, temporalBinary, zouBinaries } from './binaries';
export { EngineFailedToStart, EngineMissing } from './errors';
export { freePort, freePorts } from './free-port';
export { type RedisClusterHandle, startRedisCluster } from './redis-cluster';
export { type RedisServerHandle, type RedisServerOptions, startRedisServer } from './redis-server';
export { repoRoot } from './repo-root';
export { SupervisedProcess } from './supervised-process';
export {
  shotcallerSearchAttributes,
  startTemporalDevServer,
  type TemporalDevServerHandle,
  type TemporalDevServerOptions,
} from './temporal-dev-server';
export { startZouServer, type ZouServerHandle, type ZouServerOptions } from './zou-server';
