import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeApi, renderOpenApi } from '../src/describe-api';

describe('docs/openapi.json', () => {
  it('is what the routes describe (regenerate with `pnpm --filter @shotcaller/api docs:openapi`)', () => {
    const committed = readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8');
    expect(committed).toBe(renderOpenApi());
  });

  it('describes every shot route with its request schema and problem responses', () => {
    const doc = describeApi() as {
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/shots', '/v1/shots:batch', '/v1/shots/{id}']),
    );
    expect(doc.paths['/v1/shots']!.post!.requestBody).toBeDefined();
    expect(doc.paths['/v1/shots']!.post!.responses.default).toMatchObject({
      content: { 'application/problem+json': expect.anything() },
    });
  });
});
