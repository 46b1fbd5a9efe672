export { aConsent, aPerformer, aShotRequest } from './factories';
export { eventually, testRedis } from './redis';
