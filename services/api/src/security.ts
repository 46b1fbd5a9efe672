import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { ShotcallerConfig } from '@shotcaller/platform';
import type { FastifyInstance } from 'fastify';

/**
 * The dashboard's policy: everything from this origin, nothing inline, nothing from elsewhere. The Vite
 * build emits no inline script or style, so it needs no hash or nonce; `blob:` images are the AI frames
 * the shot page fetches with the token and shows through object URLs.
 */
export const dashboardCsp = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'blob:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** JSON, CSV and problem documents are never a page: should a browser render one, it may load nothing. */
export const apiCsp = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Security headers on every response, HSTS on requests that came over TLS, CORS only for configured
 * origins. `imageOrigin` is the artifact store's, whose presigned URLs the dashboard shows frames from.
 */
export async function registerSecurity(
  app: FastifyInstance,
  settings: Pick<ShotcallerConfig['api'], 'hstsMaxAgeSeconds' | 'corsOrigins'>,
  imageOrigin?: string,
): Promise<void> {
  const directives = imageOrigin
    ? { ...dashboardCsp, imgSrc: [...dashboardCsp.imgSrc, imageOrigin] }
    : dashboardCsp;
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Sent only over TLS (below): on plain HTTP a browser ignores it and it would only mislead a reader.
    strictTransportSecurity: false,
  });
  app.addHook('onRequest', async (request, reply) => {
    // `request.protocol` is https when the socket is TLS, or when a trusted proxy (api.trustProxy) says so.
    if (settings.hstsMaxAgeSeconds > 0 && request.protocol === 'https')
      reply.raw.setHeader('strict-transport-security', `max-age=${settings.hstsMaxAgeSeconds}`);
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    // Only on answers that say what they are: a 304 for the page carries no type, and a browser would
    // apply the policy it brings to the cached page.
    const type = String(reply.getHeader('content-type') ?? '');
    if (type && !type.startsWith('text/html')) reply.header('content-security-policy', apiCsp);
    return payload;
  });
  // Without the plugin no response carries Access-Control-Allow-Origin: browsers on other origins are refused.
  if (settings.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: settings.corsOrigins.map((o) => new URL(o).origin),
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'last-event-id'],
      exposedHeaders: ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'],
      maxAge: 600,
    });
  }
}
