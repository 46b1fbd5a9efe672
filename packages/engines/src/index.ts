export { redisServerBinary, seaweedBinary, temporalBinary, zouBinaries } from './binaries';
export { EngineFailedToStart, EngineMissing } from './errors';
export { freePort, freePorts } from './free-port';
export { type RedisClusterHandle, type RedisClusterOptions, startRedisCluster } from './redis-cluster';
export { type RedisServerHandle, type RedisServerOptions, startRedisServer } from './redis-server';
export { repoRoot } from './repo-root';
export { type SeaweedFsHandle, type SeaweedFsOptions, startSeaweedFs } from './seaweedfs-server';
export { SupervisedProcess } from './supervised-process';
export {
  shotcallerSearchAttributes,
  startTemporalDevServer,
  type TemporalDevServerHandle,
  type TemporalDevServerOptions,
} from './temporal-dev-server';
export { startZouServer, type ZouServerHandle, type ZouServerOptions } from './zou-server';
