import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { SignInFailed, SignInUnconfigured } from '../errors';
import type { OidcAuthentication } from '../oidc';
import { type RouteSpec, route } from '../route-spec';

const SignInOptions = z.object({
  /** Sign-in with the studio's provider, when configured: the page to open and what to call it. */
  oidc: z.object({ url: z.string(), displayName: z.string() }).nullable(),
  /** Whether this browser's session cookie names a live session, so the page can skip the sign-in form. */
  session: z.boolean(),
});
const LoginQuery = z.object({
  /** The dashboard page to come back to, a fragment such as `#/budget`. */
  returnTo: z.string().max(200).optional(),
});
const CallbackQuery = z.looseObject({
  state: z.string().max(512).optional(),
  code: z.string().max(4096).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});
const SignedOut = z.object({ signOutUrl: z.string() });

/** The cookie that carries a pending sign-in to the callback, and only there. */
const pendingCookie = 'shotcaller-sign-in';
const returnToPattern = /^#\/[A-Za-z0-9/_-]{0,120}$/;

export interface SignInDeps {
  oidc?: OidcAuthentication;
  /** The session cookie's name. */
  sessionCookie: string;
  /** Whether cookies are sent over HTTPS only (the public URL is https). */
  secure: boolean;
}

/**
 * Dashboard sign-in with the studio's OpenID Connect provider: the code flow with PKCE, a session in
 * Redis named by an HTTP-only SameSite cookie, and sign-out here and at the provider.
 */
export function signInRoutes(deps: SignInDeps): RouteSpec[] {
  const need = (): OidcAuthentication => {
    if (!deps.oidc) throw new SignInUnconfigured();
    return deps.oidc;
  };
  const cookie = (maxAgeSeconds: number, path = '/') => ({
    httpOnly: true,
    // Lax, not Strict: the provider sends the browser back with a top-level navigation from its own site.
    sameSite: 'lax' as const,
    secure: deps.secure,
    path,
    maxAge: maxAgeSeconds,
  });
  // A failed sign-in goes back to the dashboard, which shows why on its sign-in page.
  const backWithError = (reply: FastifyReply, detail: string) =>
    reply.redirect(`/#sign-in-error=${encodeURIComponent(detail)}`, 303);

  return [
    route({
      method: 'GET',
      url: '/auth/sign-in-options',
      summary:
        'How people may sign in to the dashboard: an API token, and the studio’s provider when configured',
      tag: 'session',
      limit: 'read',
      responses: { 200: { description: 'The ways to sign in', schema: SignInOptions } },
      handler: async ({ request, reply }) => {
        reply.header('cache-control', 'no-store');
        const id = request.cookies[deps.sessionCookie];
        return {
          oidc: deps.oidc ? { url: '/auth/login', displayName: deps.oidc.settings.displayName } : null,
          session: Boolean(deps.oidc && id && (await deps.oidc.sessions.get(id))),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/auth/login',
      summary:
        'Starts sign-in: redirects to the provider (authorization code flow with PKCE, state and nonce)',
      tag: 'session',
      limit: 'read',
      query: LoginQuery,
      responses: { 303: { description: 'To the provider’s sign-in page' } },
      handler: async ({ query, reply }) => {
        const oidc = need();
        const returnTo = query.returnTo && returnToPattern.test(query.returnTo) ? query.returnTo : '#/';
        const { url, pending } = await oidc.signIn.start(returnTo);
        const id = await oidc.sessions.begin(pending);
        reply.setCookie(pendingCookie, id, cookie(600, '/auth/callback'));
        reply.header('cache-control', 'no-store');
        return reply.redirect(url.href, 303);
      },
    }),
    route({
      method: 'GET',
      url: '/auth/callback',
      summary: 'Where the provider sends people back: opens a session and returns to the dashboard',
      tag: 'session',
      limit: 'read',
      query: CallbackQuery,
      responses: { 303: { description: 'To the dashboard, signed in, or with the reason sign-in failed' } },
      handler: async ({ query, request, reply }) => {
        const oidc = need();
        reply.header('cache-control', 'no-store');
        const pendingId = request.cookies[pendingCookie];
        reply.clearCookie(pendingCookie, { path: '/auth/callback', secure: deps.secure });
        const pending = pendingId ? await oidc.sessions.take(pendingId) : undefined;
        if (!pending)
          return backWithError(reply, 'This sign-in has expired or was already used; sign in again');
        if (query.error)
          return backWithError(
            reply,
            `The identity provider refused the sign-in: ${query.error}${query.error_description ? ` (${query.error_description})` : ''}`,
          );
        try {
          const { claims, idToken } = await oidc.signIn.finish(
            new URL(request.url, oidc.settings.publicUrl),
            pending,
          );
          const id = await oidc.sessions.create({
            claims,
            ...(idToken ? { idToken } : {}),
            createdAt: new Date().toISOString(),
          });
          reply.setCookie(deps.sessionCookie, id, cookie(oidc.settings.sessionTtlSeconds));
          return reply.redirect(`/${pending.returnTo}`, 303);
        } catch (error) {
          if (error instanceof SignInFailed) return backWithError(reply, error.message);
          throw error;
        }
      },
    }),
    route({
      method: 'POST',
      url: '/auth/logout',
      summary: 'Ends the dashboard session; answers where to send the browser to end it at the provider too',
      tag: 'session',
      limit: 'write',
      responses: { 200: { description: 'Signed out', schema: SignedOut } },
      handler: async ({ request, reply }) => {
        const oidc = need();
        const id = request.cookies[deps.sessionCookie];
        const session = id ? await oidc.sessions.end(id) : undefined;
        reply.clearCookie(deps.sessionCookie, { path: '/', secure: deps.secure });
        reply.header('cache-control', 'no-store');
        return { signOutUrl: await oidc.signIn.signOutUrl(session?.idToken) };
      },
    }),
  ];
}
