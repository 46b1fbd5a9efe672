import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Authenticator } from '../src/authenticator';
import { toProblem } from '../src/problems';
import { type RouteSpec, registerRoutes, route } from '../src/route-spec';

const Count = z.object({ count: z.int() });

const routes: RouteSpec[] = [
  route({
    method: 'GET',
    url: '/half',
    summary: 'a count that is not whole',
    tag: 'test',
    responses: { 200: { description: 'a count', schema: Count } },
    handler: async () => ({ count: 1.5 }),
  }),
  route({
    method: 'GET',
    url: '/extra',
    summary: 'a count with a field its schema does not name',
    tag: 'test',
    responses: { 200: { description: 'a count', schema: Count } },
    handler: async () => {
      const stored = { count: 3, internalKey: 'sc:{p0}:secret' };
      return stored;
    },
  }),
  route({
    method: 'POST',
    url: '/made',
    summary: 'made, answered with 201',
    tag: 'test',
    responses: { 201: { description: 'made', schema: z.object({ id: z.string() }) } },
    handler: async ({ reply }) => {
      reply.code(201);
      return { id: 'x-1' };
    },
  }),
  route({
    method: 'GET',
    url: '/report',
    summary: 'a report as JSON, or as CSV with ?format=csv',
    tag: 'test',
    query: z.object({ format: z.enum(['json', 'csv']).default('json') }),
    responses: { 200: { description: 'the report', schema: Count } },
    handler: async ({ query, reply }) => {
      if (query.format === 'json') return { count: 2 };
      return reply.header('content-type', 'text/csv; charset=utf-8').send('count\n2\n');
    },
  }),
];

describe('response schemas', () => {
  const app = Fastify();
  beforeAll(async () => {
    app.setErrorHandler(async (error, _request, reply) => {
      const problem = toProblem(error);
      return reply.code(problem.status).send(problem);
    });
    registerRoutes(app, routes, { authenticator: new Authenticator([]) });
    await app.ready();
  });
  afterAll(() => app.close());

  it('answers a document off its schema with a server error naming the field, not with the document', async () => {
    const res = await app.inject({ method: 'GET', url: '/half' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ code: 'response_off_schema' });
    expect(res.json().detail).toContain('count');
  });

  it('sends only what the schema names, as Fastify’s serializer does', async () => {
    const res = await app.inject({ method: 'GET', url: '/extra' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ count: 3 });
  });

  it('checks a reply against the schema of the status it is sent with', async () => {
    const res = await app.inject({ method: 'POST', url: '/made' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ id: 'x-1' });
  });

  it('leaves alone a reply the handler sent itself in another format than JSON', async () => {
    expect((await app.inject({ method: 'GET', url: '/report?format=csv' })).body).toBe('count\n2\n');
    expect((await app.inject({ method: 'GET', url: '/report' })).json()).toEqual({ count: 2 });
  });
});
