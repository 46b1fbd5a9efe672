export {
  Authenticator,
  authorize,
  canSeeShow,
  hashToken,
  type Permission,
  type Principal,
  permissions,
  type Role,
  readTokensFile,
} from './auth';
export { BatchTooLarge, Forbidden, NotFound, Unauthenticated } from './errors';
export { visibleOnFeed } from './event-visibility';
export { openApiDocument } from './openapi';
export { toProblem } from './problems';
export { type HandlerContext, type RouteSpec, registerRoutes, route } from './route-spec';
export { type ApiDeps, apiRoutes, apiVersion, buildApi } from './server';
