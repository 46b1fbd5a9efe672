import { parseOrThrow } from '@shotcaller/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { type Authenticator, authorize, type Permission, type Principal } from './auth';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

export interface HandlerContext<B, Q, P> {
  principal: Principal;
  body: B;
  query: Q;
  params: P;
  request: FastifyRequest;
  reply: FastifyReply;
}

/** One API route: how it is called, who may call it, what it takes and gives. The OpenAPI document is built from these. */
export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify syntax: `:id` is a parameter, `::` a literal colon (`/v1/shots::batch`). */
  url: string;
  summary: string;
  tag: string;
  /** Absent: no token needed (health probes and the API description only). */
  permission?: Permission;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  responses: Record<number, ResponseSpec>;
  handler(ctx: HandlerContext<B, Q, P>): Promise<unknown>;
}

/** Keeps the concrete schema types for the handler while storing specs uniformly. */
export function route<B = unknown, Q = unknown, P = unknown>(spec: RouteSpec<B, Q, P>): RouteSpec {
  return spec as unknown as RouteSpec;
}

const anonymous: Principal = { name: 'anonymous', role: 'td', shows: [] };

/** Registers routes on Fastify: authenticate, authorise, parse every input with its schema, then handle. */
export function registerRoutes(
  app: FastifyInstance,
  routes: readonly RouteSpec[],
  auth: Authenticator,
): void {
  for (const spec of routes) {
    app.route({
      method: spec.method,
      url: spec.url,
      handler: async (request, reply) => {
        let principal = anonymous;
        if (spec.permission) {
          principal = auth.authenticate(request.headers.authorization);
          authorize(principal, spec.permission);
        }
        const body = spec.body ? parseOrThrow(spec.body, request.body ?? {}, 'request body') : undefined;
        const query = spec.query ? parseOrThrow(spec.query, request.query ?? {}, 'query') : undefined;
        const params = spec.params ? parseOrThrow(spec.params, request.params ?? {}, 'path') : undefined;
        return spec.handler({ principal, body, query, params, request, reply });
      },
    });
  }
}
