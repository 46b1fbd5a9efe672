export { aConsent, aPerformer, aShotRequest } from './factories';
export {
  type DashboardClient,
  type SigningKey,
  startOidcProvider,
  type TestMachine,
  type TestOidcOptions,
  type TestOidcProvider,
  type TestUser,
} from './oidc-provider';
export { eventually, testRedis } from './redis';
