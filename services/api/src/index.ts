export { ApiTokens, hashToken, readTokensFile } from './api-tokens';
export {
  type AuthenticatedBy,
  actorName,
  authorize,
  canSeeShow,
  type Grant,
  type Identity,
  type Permission,
  type Principal,
  permissions,
  type Role,
  rolesOf,
} from './auth';
export { Authenticator, type Credentials } from './authenticator';
export {
  BatchTooLarge,
  Forbidden,
  IdentityProviderUnreachable,
  NoRoleFromClaims,
  NotFound,
  SignInFailed,
  Unauthenticated,
} from './errors';
export { visibleOnFeed } from './event-visibility';
export { grantsFromClaims, identityFromClaims } from './oidc';
export { openApiDocument } from './openapi';
export { toProblem } from './problems';
export { type HandlerContext, type RouteSpec, registerRoutes, route } from './route-spec';
export { type ApiDeps, apiRoutes, apiVersion, buildApi } from './server';
