import type { FastifyRequest } from 'fastify';
import type { Principal } from './auth';
import type { Unauthenticated } from './errors';

/** Who sent a request, found before the rate limit is applied: a principal, or why there is none. */
export type Caller = { principal: Principal } | { failure: Unauthenticated };

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

/** The authenticated principal of a request, if it has one. */
export function principalOf(request: FastifyRequest): Principal | undefined {
  return request.caller && 'principal' in request.caller ? request.caller.principal : undefined;
}
