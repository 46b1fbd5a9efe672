import { z } from 'zod';
import { rolesOf } from '../auth';
import { type RouteSpec, route } from '../route-spec';

const Role = z.enum(['td', 'accountant', 'compliance', 'vendor', 'admin']);
const Me = z.object({
  name: z.string(),
  /** The provider's subject for a person or machine signed in with it; `token:<name>` for an API token. */
  subject: z.string(),
  /** How the caller proved who they are. */
  by: z.enum(['api-token', 'oidc-session', 'oidc-access-token']),
  /** The role that speaks for the caller (admin when it holds admin, else its first). */
  role: Role,
  /** Every role the caller holds, each on its own shows; the dashboard offers the pages of all of them. */
  roles: z.array(Role),
  shows: z.union([z.array(z.string()), z.literal('*')]),
  vendorId: z.string().optional(),
});

/** Who is calling: the dashboard signs in with it and shows each role its own pages. */
export function sessionRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/v1/me',
      summary: 'The caller: name, subject, roles and shows (and vendor), however they signed in',
      tag: 'session',
      permission: 'session:read',
      responses: { 200: { description: 'The caller', schema: Me } },
      handler: async ({ principal }) => ({
        name: principal.name,
        subject: principal.subject,
        by: principal.by,
        role: principal.role,
        roles: rolesOf(principal),
        shows: principal.shows === '*' ? '*' : [...principal.shows],
        ...(principal.vendorId ? { vendorId: principal.vendorId } : {}),
      }),
    }),
  ];
}
