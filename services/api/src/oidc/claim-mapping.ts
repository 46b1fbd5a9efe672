import { createHash } from 'node:crypto';
import type { ClaimRule, OidcConfig } from '@shotcaller/platform';
import type { AuthenticatedBy, Grant, Identity } from '../auth';

export type Claims = Record<string, unknown>;

/** The value at a dot path (`realm_access.roles`); a claim whose own name has dots is tried whole first. */
export function claimAt(claims: Claims, path: string): unknown {
  if (path in claims) return claims[path];
  let here: unknown = claims;
  for (const part of path.split('.')) {
    if (here === null || typeof here !== 'object' || Array.isArray(here)) return undefined;
    here = (here as Claims)[part];
  }
  return here;
}

/** A claim's values as strings: one string, or the strings of a list (groups, roles); anything else is none. */
function valuesAt(claims: Claims, path: string): string[] {
  const value = claimAt(claims, path);
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The grants a set of claims earns under the rules, in the rules' order. */
export function grantsFromClaims(claims: Claims, rules: readonly ClaimRule[]): Grant[] {
  return rules
    .filter((rule) => valuesAt(claims, rule.claim).includes(rule.value))
    .map((rule) => ({
      role: rule.role,
      shows: rule.shows.includes('*') ? '*' : rule.shows,
      ...(rule.vendorId ? { vendorId: rule.vendorId } : {}),
    }));
}

/**
 * Who a provider's token or ID token says the caller is. A person is named by the first of
 * `nameClaims` present; a machine (client credentials) has none of them and is named by its client.
 */
export function identityFromClaims(
  claims: Claims,
  settings: Pick<OidcConfig, 'claimRules' | 'nameClaims'>,
  by: AuthenticatedBy,
): Identity {
  const issuer = typeof claims.iss === 'string' ? claims.iss : '';
  const client = [claims.client_id, claims.azp].find((c): c is string => typeof c === 'string');
  const subject = typeof claims.sub === 'string' ? claims.sub : (client ?? 'unknown');
  const name =
    settings.nameClaims
      .map((c) => claimAt(claims, c))
      .find((v): v is string => typeof v === 'string' && v !== '') ??
    client ??
    subject;
  const grants = grantsFromClaims(claims, settings.claimRules);
  const claimsRead = [...new Set(settings.claimRules.map((r) => r.claim))].map((claim) => ({
    claim,
    values: valuesAt(claims, claim).slice(0, 20),
  }));
  return {
    id: `oidc:${createHash('sha256').update(`${issuer} ${subject}`).digest('hex').slice(0, 16)}`,
    subject,
    ...(issuer ? { issuer } : {}),
    name,
    by,
    grants,
    ...(grants.length === 0 ? { claimsRead } : {}),
  };
}
