import { Problem } from '@shotcaller/contracts';
import { z } from 'zod';
import { limitOf, type RouteSpec } from './route-spec';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

function openApiPath(url: string): string {
  // `::` is Fastify's escaped literal colon (`/v1/shots::batch`); `:name` a parameter.
  return url
    .split('::')
    .map((part) => part.replace(/:([A-Za-z_]+)/g, '{$1}'))
    .join(':');
}

function parameters(schema: z.ZodType | undefined, where: 'query' | 'path'): unknown[] {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}

/** The OpenAPI 3.1 description of the API, generated from the same zod schemas the routes parse with. */
export function openApiDocument(
  routes: readonly RouteSpec[],
  info: { version: string },
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const problem = jsonSchema(Problem, 'output');
  for (const spec of routes) {
    const path = openApiPath(spec.url);
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      responses[status] = {
        description: r.description,
        ...(r.schema
          ? { content: { [r.contentType ?? 'application/json']: { schema: jsonSchema(r.schema, 'output') } } }
          : {}),
        ...(!r.schema && r.contentType ? { content: { [r.contentType]: {} } } : {}),
      };
    }
    const limit = limitOf(spec);
    if (limit !== 'none')
      responses['429'] ??= {
        description: `The caller spent its ${limit} budget (api.rateLimits.${limit}); retry after Retry-After seconds`,
        // The body is the problem document `default` describes, code `rate_limited`.
        headers: {
          'Retry-After': { schema: { type: 'integer' }, description: 'Seconds until the budget refills' },
        },
      };
    responses.default = {
      description: 'An RFC 9457 problem document',
      content: { 'application/problem+json': { schema: problem } },
    };
    paths[path] ??= {};
    paths[path]![spec.method.toLowerCase()] = {
      summary: spec.summary,
      tags: [spec.tag],
      ...(limit !== 'none' ? { 'x-rate-limit': limit } : {}),
      ...(spec.permission
        ? { security: [{ bearer: [] }], 'x-permission': spec.permission }
        : { security: [] }),
      parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')],
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Shotcaller API',
      version: info.version,
      description: 'Routes VFX shots to generative-AI workers or vendors, with budget and compliance.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
