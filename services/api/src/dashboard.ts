import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the dashboard's built files at `/`. The page signs in with an API token and calls the API
 * like any client; its files need no token. Without a build, `/` says how to make one.
 */
export async function serveDashboard(app: FastifyInstance, dir: string): Promise<void> {
  if (!existsSync(join(dir, 'index.html'))) {
    app.get('/', async (_request, reply) =>
      reply
        .code(503)
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><title>Shotcaller</title><p>The dashboard is not built: run <code>pnpm build</code>.</p>',
        ),
    );
    return;
  }
  // One route per built file (no wildcard), so unknown paths still get the API's RFC 9457 404.
  await app.register(fastifyStatic, { root: dir, prefix: '/', wildcard: false, index: ['index.html'] });
}
