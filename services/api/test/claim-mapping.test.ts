import { describe, expect, it } from 'vitest';
import { authorize, type Identity } from '../src/auth';
import { NoRoleFromClaims } from '../src/errors';
import { claimAt, grantsFromClaims, identityFromClaims } from '../src/oidc';

const rules = [
  { claim: 'groups', value: 'vfx-nth-accountants', role: 'accountant' as const, shows: ['NTH'] },
  { claim: 'realm_access.roles', value: 'shotcaller-td', role: 'td' as const, shows: ['ABC'] },
  { claim: 'roles', value: 'Shotcaller.Admin', role: 'admin' as const, shows: ['*'] },
];
const settings = { claimRules: rules, nameClaims: ['name', 'preferred_username'] };
const aPerson = (claims: Record<string, unknown> = {}) => ({
  iss: 'https://idp.test',
  sub: 'u-1',
  name: 'Ines Duarte',
  ...claims,
});

describe('claims to roles and shows', () => {
  it('reads a dot path into nested claims, and a claim whose name has dots whole', () => {
    expect(claimAt({ realm_access: { roles: ['a'] } }, 'realm_access.roles')).toEqual(['a']);
    expect(claimAt({ 'https://studio/groups': ['g'] }, 'https://studio/groups')).toEqual(['g']);
    expect(claimAt({ realm_access: 'flat' }, 'realm_access.roles')).toBeUndefined();
  });

  it('maps a group in a list and a single string value, in the order of the rules', () => {
    expect(
      grantsFromClaims(
        aPerson({ groups: ['staff', 'vfx-nth-accountants'], roles: 'Shotcaller.Admin' }),
        rules,
      ),
    ).toEqual([
      { role: 'accountant', shows: ['NTH'] },
      { role: 'admin', shows: '*' },
    ]);
  });

  it('names a person by the first name claim, a machine by its client id', () => {
    expect(
      identityFromClaims(aPerson({ groups: ['vfx-nth-accountants'] }), settings, 'oidc-session'),
    ).toMatchObject({
      name: 'Ines Duarte',
      subject: 'u-1',
      issuer: 'https://idp.test',
      by: 'oidc-session',
    });
    const machine = identityFromClaims(
      { iss: 'https://idp.test', sub: 'ci', client_id: 'ci-robot' },
      settings,
      'oidc-access-token',
    );
    expect(machine.name).toBe('ci-robot');
  });

  it('keeps the claims it read when none maps, and refuses with a 403 that names them', () => {
    const identity = identityFromClaims(aPerson({ groups: ['catering'] }), settings, 'oidc-access-token');
    expect(identity.grants).toEqual([]);
    expect(() => authorize(identity, 'session:read')).toThrow(NoRoleFromClaims);
    expect(() => authorize(identity, 'session:read')).toThrow(
      /groups \("catering"\); realm_access\.roles \(absent\); roles \(absent\)/,
    );
  });

  it('two people with one name are two identities', () => {
    const a = identityFromClaims(aPerson({ sub: 'u-1' }), settings, 'oidc-session');
    const b = identityFromClaims(aPerson({ sub: 'u-2' }), settings, 'oidc-session');
    expect(a.id).not.toBe(b.id);
  });
});

describe('authorising one request', () => {
  const both: Identity = {
    id: 'oidc:1',
    subject: 'u-1',
    name: 'Ines Duarte',
    by: 'oidc-session',
    grants: [
      { role: 'accountant', shows: ['NTH'] },
      { role: 'td', shows: ['ABC'] },
    ],
  };

  it('acts with only the grants that allow the permission, and their shows', () => {
    expect(authorize(both, 'budget:read')).toMatchObject({ role: 'accountant', shows: ['NTH'] });
    expect(authorize(both, 'shots:submit')).toMatchObject({ role: 'td', shows: ['ABC'] });
    expect(authorize(both, 'shots:read').shows).toEqual(['NTH', 'ABC']);
  });

  it('refuses what no grant allows, naming the roles held', () => {
    expect(() => authorize(both, 'compliance:read')).toThrow(/accountant, td role may not do this/);
  });
});
