import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseOrThrow } from '@shotcaller/contracts';
import { TokenEntry } from '@shotcaller/platform';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { Forbidden, Unauthenticated } from './errors';

export type Role = TokenEntry['role'];

/** Who is calling, as their token says. */
export interface Principal {
  /** Stable and not secret: what rate limits count by (`token:<first 16 hex of its SHA-256>`). */
  id: string;
  name: string;
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

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const TokensFile = z.strictObject({ tokens: z.array(TokenEntry) });

/** Reads a tokens file (`tokens:` list of name, sha256, role, shows). */
export function readTokensFile(path: string): TokenEntry[] {
  return parseOrThrow(TokensFile, parseYaml(readFileSync(path, 'utf8')), `tokens file ${path}`).tokens;
}

/** Maps bearer tokens to principals by their hash; the plain token is never stored or logged. */
export class Authenticator {
  private readonly byHash: Map<string, TokenEntry>;

  constructor(entries: readonly TokenEntry[]) {
    this.byHash = new Map(entries.map((e) => [e.sha256, e]));
  }

  authenticate(header: string | undefined): Principal {
    if (!header) throw new Unauthenticated('No bearer token', 'missing_token');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new Unauthenticated('The Authorization header is not a bearer token', 'not_bearer');
    const hash = hashToken(match[1]!);
    const entry = this.byHash.get(hash);
    // Compare in constant time as well, so a timing side channel cannot find a hash prefix.
    if (!entry || !timingSafeEqual(Buffer.from(entry.sha256), Buffer.from(hash))) {
      throw new Unauthenticated('This token is not known', 'unknown_token');
    }
    return {
      id: `token:${entry.sha256.slice(0, 16)}`,
      name: entry.name,
      role: entry.role,
      shows: entry.shows.includes('*') ? '*' : entry.shows,
      ...(entry.vendorId ? { vendorId: entry.vendorId } : {}),
    };
  }
}

export function authorize(principal: Principal, permission: Permission): void {
  if (!(permissions[permission] as readonly Role[]).includes(principal.role)) {
    throw new Forbidden(`The ${principal.role} role may not do this (${permission})`);
  }
}

export function canSeeShow(principal: Principal, show: string): boolean {
  return principal.shows === '*' || principal.shows.includes(show);
}
