import { describe, expect, it } from 'vitest';
import type { Principal } from './principal.ts';
import { TOKEN_REVOKED_MESSAGE } from '../../platform/errors.ts';
import { createDenyList, denyingVerifier } from './deny-list.ts';
import type { TokenVerifier } from './verifier.ts';

const admin: Principal = { userId: 'u1', orgId: 'o1', roles: ['ADMIN'] };
const T = 1_800_000_000_000; // an event time, ms
const sec = (ms: number) => Math.floor(ms / 1000);

const listAt = (clock: { ms: number }) => createDenyList({ accessTtlSeconds: 900, now: () => clock.ms });

describe('deny-list', () => {
  it('given a deactivation, then tokens issued up to its second are refused and later ones stand', () => {
    const list = listAt({ ms: T });
    list.deactivated('u1', T);
    expect(list.refuses(admin, sec(T) - 60)).toBe('USER_DEACTIVATED');
    expect(list.refuses(admin, sec(T))).toBe('USER_DEACTIVATED');
    expect(list.refuses(admin, sec(T) + 1)).toBeUndefined();
    expect(list.refuses({ ...admin, userId: 'u2' }, sec(T) - 60)).toBeUndefined();
  });

  it('given a reactivation, then tokens minted since stand, even in the deactivation\'s second, and older ones stay refused', () => {
    const list = listAt({ ms: T });
    list.reactivated('u1', T); // nothing to soften: no entry is made
    expect(list.size()).toBe(0);
    list.deactivated('u1', T);
    list.reactivated('u1', T + 300);
    expect(list.refuses(admin, sec(T))).toBeUndefined();
    expect(list.refuses(admin, sec(T) - 1)).toBe('USER_DEACTIVATED');
    list.deactivated('u1', T + 5_000);
    expect(list.refuses(admin, sec(T) + 2)).toBe('USER_DEACTIVATED');
  });

  it('given a role change, then an older token with other roles is refused, and one with the new roles stands', () => {
    const list = listAt({ ms: T });
    list.rolesChanged('u1', ['DISPATCHER'], T);
    expect(list.refuses(admin, sec(T) - 1)).toBe('ROLES_CHANGED');
    // A refresh in the very second of the change already carries the new roles.
    expect(list.refuses({ ...admin, roles: ['DISPATCHER'] }, sec(T))).toBeUndefined();
    expect(list.refuses(admin, sec(T) + 1)).toBeUndefined();
  });

  it('given two role changes, then the latest decides, whatever order they arrive in', () => {
    const list = listAt({ ms: T + 5_000 });
    list.rolesChanged('u1', ['FINANCE'], T + 5_000);
    list.rolesChanged('u1', ['DISPATCHER'], T);
    expect(list.refuses({ ...admin, roles: ['DISPATCHER'] }, sec(T) + 2)).toBe('ROLES_CHANGED');
    expect(list.refuses({ ...admin, roles: ['FINANCE'] }, sec(T) + 2)).toBeUndefined();
  });

  it('given the access-token lifetime has passed since the event, then the entry is gone', () => {
    const clock = { ms: T };
    const list = listAt(clock);
    list.deactivated('u1', T);
    expect(list.size()).toBe(1);
    clock.ms = T + 900_000;
    expect(list.refuses(admin, sec(T) - 1)).toBe('USER_DEACTIVATED');
    clock.ms = T + 901_000;
    expect(list.refuses(admin, sec(T) - 1)).toBeUndefined();
    expect(list.size()).toBe(0);
  });

  it('given an event older than a token lifetime (a replay from further back), then it is not kept', () => {
    const list = listAt({ ms: T + 2_000_000 });
    list.deactivated('u1', T);
    expect(list.size()).toBe(0);
  });

  it('tells listeners whose entry changed', () => {
    const list = listAt({ ms: T });
    const heard: string[] = [];
    const stop = list.onDeny((userId) => heard.push(userId));
    list.deactivated('u1', T);
    list.rolesChanged('u2', [], T);
    stop();
    list.deactivated('u3', T);
    expect(heard).toEqual(['u1', 'u2']);
  });

  it('given a verifier, then a refused token becomes the revoked error and others pass through', async () => {
    const list = listAt({ ms: T });
    list.deactivated('u1', T);
    const inner: TokenVerifier = async (token) =>
      token === 'bad' ? { error: 'The access token is invalid.' } : { principal: { ...admin, userId: token }, issuedAtSec: sec(T) - 10 };
    const verify = denyingVerifier(inner, list);
    expect(await verify('u1')).toEqual({ error: TOKEN_REVOKED_MESSAGE });
    expect(await verify('u2')).toHaveProperty('principal');
    expect(await verify('bad')).toEqual({ error: 'The access token is invalid.' });
  });
});
