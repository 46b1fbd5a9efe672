import { parseOrThrow, toFieldIssues } from '@shotcaller/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { z } from 'zod';
import { authorize, type Permission, type Principal } from './auth';
import type { Authenticator } from './authenticator';
import './caller';
import { ResponseOffSchema, Unauthenticated } from './errors';
import type { Limiters, LimitKind } from './rate-limits';

export interface ResponseSpec {
  description: string;
  /**
   * The JSON document sent with this status: what the handler returns is parsed by it before it is sent
   * (a handler that answers in another format, e.g. a report as CSV, sends that reply itself).
   */
  schema?: z.ZodType;
  /** A body that is not JSON (CSV, a stream): the handler sends it as it is. */
  contentType?: string;
}

/** The declared responses of a route, by HTTP status. */
export type Responses = Record<number, ResponseSpec>;

/**
 * What a handler may return: a document of one of its route's response schemas (as the schema takes it
 * in), or the reply it sent itself. A route with a response that has no schema may return anything.
 */
export type Returned<Rs extends Responses> =
  | { [K in keyof Rs]: Rs[K] extends { schema: infer S extends z.ZodType } ? z.input<S> : unknown }[keyof Rs]
  | FastifyReply;

export interface HandlerContext<B, Q, P> {
  principal: Principal;
  body: B;
  query: Q;
  params: P;
  request: FastifyRequest;
  reply: FastifyReply;
}

/** One API route: how it is called, who may call it, what it takes and gives. The OpenAPI document is built from these. */
export interface RouteSpec<B = unknown, Q = unknown, P = unknown, Rs extends Responses = Responses> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify syntax: `:id` is a parameter, `::` a literal colon (`/v1/shots::batch`). */
  url: string;
  summary: string;
  tag: string;
  /** Absent: no token needed (health probes and the API description only). */
  permission?: Permission;
  /** The rate-limit budget a call spends: `read` for GET and `write` for the rest unless said; `none` for probes. */
  limit?: LimitKind | 'none';
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  responses: Rs;
  handler(ctx: HandlerContext<B, Q, P>): Promise<Returned<Rs>>;
}

/**
 * Keeps the concrete schema types for the handler while storing specs uniformly. The one cast is sound:
 * `registerRoutes` hands the handler only what `body`, `query` and `params` parsed, and checks what it
 * returns against `responses`.
 */
export function route<B = unknown, Q = unknown, P = unknown, const Rs extends Responses = Responses>(
  spec: RouteSpec<B, Q, P, Rs>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}

/**
 * The document sent for a handler's result, as Fastify's response schemas do it: parsed by the schema of
 * the reply's status, so what the schema does not name is left out and what it requires must be there.
 * A result off its schema is the server's fault, never sent half-right.
 */
export function sendable(
  spec: Pick<RouteSpec, 'method' | 'url' | 'responses'>,
  status: number,
  result: unknown,
): unknown {
  const schema = spec.responses[status]?.schema;
  if (!schema) return result;
  const parsed = schema.safeParse(result);
  if (!parsed.success)
    throw new ResponseOffSchema(`${spec.method} ${spec.url}`, status, toFieldIssues(parsed.error));
  return parsed.data;
}

/** The rate-limit budget a route spends. */
export function limitOf(spec: Pick<RouteSpec, 'limit' | 'method'>): LimitKind | 'none' {
  return spec.limit ?? (spec.method === 'GET' ? 'read' : 'write');
}

const anonymous: Principal = {
  id: 'anonymous',
  subject: 'anonymous',
  name: 'anonymous',
  by: 'api-token',
  grants: [],
  role: 'td',
  shows: [],
};

/** The name of the dashboard's session cookie; `__Host-` (HTTPS only, this host, path /) where it can be. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-shotcaller-session' : 'shotcaller-session';
}

/** What guards every route: who the caller is, how much it may ask, and what to do with a failed sign-in. */
export interface RouteGuards {
  authenticator: Authenticator;
  limiters?: Limiters;
  /** The session cookie's name (sessionCookieName). */
  sessionCookie?: string;
  onAuthFailure?(request: FastifyRequest, failure: Unauthenticated): void;
}

/**
 * Registers routes on Fastify: identify the caller, spend its rate-limit budget, then authorise, parse
 * every input with its schema and handle. The caller is identified before the limit so that a valid
 * token is counted on its own budget and a missing or wrong one on its address's.
 */
export function registerRoutes(
  app: FastifyInstance,
  routes: readonly RouteSpec[],
  guards: RouteGuards,
): void {
  if (!app.hasRequestDecorator('caller')) app.decorateRequest('caller', null);
  const identify: onRequestAsyncHookHandler = async (request) => {
    try {
      const sessionId = guards.sessionCookie ? request.cookies?.[guards.sessionCookie] : undefined;
      request.caller = {
        identity: await guards.authenticator.identify({
          authorization: request.headers.authorization,
          sessionId,
          origin: request.headers.origin,
          unsafe: request.method !== 'GET' && request.method !== 'HEAD',
        }),
      };
    } catch (error) {
      if (!(error instanceof Unauthenticated)) throw error;
      request.caller = { failure: error };
      guards.onAuthFailure?.(request, error);
    }
  };
  for (const spec of routes) {
    const kind = limitOf(spec);
    const limiter = kind === 'none' ? undefined : guards.limiters?.[kind];
    app.route({
      method: spec.method,
      url: spec.url,
      onRequest: [...(spec.permission ? [identify] : []), ...(limiter ? [limiter] : [])],
      handler: async (request, reply) => {
        let principal = anonymous;
        if (spec.permission) {
          const caller = request.caller!;
          if ('failure' in caller) throw caller.failure;
          principal = authorize(caller.identity, spec.permission);
          // Answers to a token are that token's: no shared cache may keep them.
          reply.header('cache-control', 'no-store');
        }
        const body = spec.body ? parseOrThrow(spec.body, request.body ?? {}, 'request body') : undefined;
        const query = spec.query ? parseOrThrow(spec.query, request.query ?? {}, 'query') : undefined;
        const params = spec.params ? parseOrThrow(spec.params, request.params ?? {}, 'path') : undefined;
        const result = await spec.handler({ principal, body, query, params, request, reply });
        // A handler that sent its own reply (a redirect, a stream, a report as CSV) has nothing left to check.
        if (result === reply || reply.sent) return result;
        return sendable(spec, reply.statusCode, result);
      },
    });
  }
}
