import { z } from 'zod';
import { type RouteSpec, route } from '../route-spec';

const Me = z.object({
  name: z.string(),
  role: z.enum(['td', 'accountant', 'compliance', 'vendor', 'admin']),
  shows: z.union([z.array(z.string()), z.literal('*')]),
  vendorId: z.string().optional(),
});

/** Who a token is: the dashboard signs in with it and shows each role its own pages. */
export function sessionRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/v1/me',
      summary: 'The caller: name, role, shows (and vendor) of the token',
      tag: 'session',
      permission: 'session:read',
      responses: { 200: { description: 'The caller', schema: Me } },
      handler: async ({ principal }) => ({
        name: principal.name,
        role: principal.role,
        shows: principal.shows === '*' ? '*' : [...principal.shows],
        ...(principal.vendorId ? { vendorId: principal.vendorId } : {}),
      }),
    }),
  ];
}
