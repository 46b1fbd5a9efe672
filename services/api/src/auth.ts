import type { TokenEntry } from '@shotcaller/platform';
import { Forbidden, NoRoleFromClaims } from './errors';

export type Role = TokenEntry['role'];

/** One right a caller holds: a role on some shows (and, for a vendor, which vendor). */
export interface Grant {
  role: Role;
  shows: readonly string[] | '*';
  vendorId?: string;
}

/** How a caller proved who they are. */
export type AuthenticatedBy = 'api-token' | 'oidc-session' | 'oidc-access-token';

/**
 * Who is calling, however they proved it: an API token, a dashboard session, or a provider's access
 * token. What it may do comes from its grants.
 */
export interface Identity {
  /** Stable and not secret: what rate limits count by (`token:…` or `oidc:…`, a hash prefix). */
  id: string;
  /** Who, for the record: the provider's `sub` (a person or a machine's client), or `token:<name>`. */
  subject: string;
  /** The provider that vouched for the subject; absent for an API token. */
  issuer?: string;
  /** A name people recognise: the person's name, a machine's client id, a token's name. */
  name: string;
  by: AuthenticatedBy;
  grants: readonly Grant[];
  /** With no grants: which claims were read and what they held, for a 403 a person can act on. */
  claimsRead?: ReadonlyArray<{ claim: string; values: readonly string[] }>;
}

/**
 * An identity acting in one request: the grants that allow what it asks, folded into one role and
 * the shows those grants cover. Handlers see only this, so a person who is an accountant on one show
 * and a TD on another steers shots only on the second.
 */
export interface Principal extends Identity {
  role: Role;
  shows: readonly string[] | '*';
  vendorId?: string;
}

/** What each role may do. A role only reaches what is its own. */
export const permissions = {
  'shots:submit': ['td', 'admin'],
  'shots:read': ['td', 'accountant', 'compliance', 'admin'],
  'shots:steer': ['td', 'admin'],
  'events:read': ['td', 'accountant', 'compliance', 'admin'],
  'budget:read': ['accountant', 'admin'],
  'budget:write': ['accountant', 'admin'],
  'compliance:read': ['compliance', 'admin'],
  'compliance:write': ['compliance', 'admin'],
  'vendor:tickets': ['vendor', 'admin'],
  'vendor:read': ['vendor', 'td', 'accountant', 'admin'],
  'vendor:manage': ['td', 'admin'],
  'metrics:read': ['admin'],
  'admin:import': ['admin'],
  'simulate:run': ['td', 'accountant', 'admin'],
  'reports:labour': ['accountant', 'compliance', 'admin'],
  'session:read': ['td', 'accountant', 'compliance', 'vendor', 'admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof permissions;

/** The caller as it may act for `permission`, or a 403 that says why not. */
export function authorize(identity: Identity, permission: Permission): Principal {
  if (identity.grants.length === 0) throw new NoRoleFromClaims(identity.name, identity.claimsRead ?? []);
  const allowed = identity.grants.filter((g) =>
    (permissions[permission] as readonly Role[]).includes(g.role),
  );
  if (allowed.length === 0) {
    const roles = [...new Set(identity.grants.map((g) => g.role))].join(', ');
    throw new Forbidden(`The ${roles} role may not do this (${permission})`);
  }
  // An admin grant is the widest; otherwise the first grant the configuration lists speaks for the caller.
  const lead = allowed.find((g) => g.role === 'admin') ?? allowed[0]!;
  const shows = allowed.some((g) => g.shows === '*')
    ? ('*' as const)
    : [...new Set(allowed.flatMap((g) => g.shows as readonly string[]))];
  const vendorId = allowed.find((g) => g.vendorId)?.vendorId;
  return { ...identity, role: lead.role, shows, ...(vendorId ? { vendorId } : {}) };
}

/** Every role an identity holds, in the order its grants give them. */
export function rolesOf(identity: Identity): Role[] {
  return [...new Set(identity.grants.map((g) => g.role))];
}

export function canSeeShow(principal: Pick<Principal, 'shows'>, show: string): boolean {
  return principal.shows === '*' || principal.shows.includes(show);
}

/**
 * How an action is put on the record (audit trail, alerts, ledger): a token by its name, a person or
 * machine signed in with the provider by name and the provider's subject, so the record names one
 * account even when two people share a name.
 */
export function actorName(principal: Pick<Identity, 'name' | 'subject' | 'by'>): string {
  return principal.by === 'api-token' ? principal.name : `${principal.name} (sub ${principal.subject})`;
}
