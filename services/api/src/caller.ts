import type { FastifyRequest } from 'fastify';
import type { Identity } from './auth';
import type { Unauthenticated } from './errors';

/** Who sent a request, found before the rate limit is applied: an identity, or why there is none. */
export type Caller = { identity: Identity } | { failure: Unauthenticated };

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

/** The authenticated caller of a request, if it has one. */
export function identityOf(request: FastifyRequest): Identity | undefined {
  return request.caller && 'identity' in request.caller ? request.caller.identity : undefined;
}
