import { describe, expect, it } from 'vitest';
import { isUuid } from '../../platform/ids.ts';
import { isWellFormedSecret, newApiKeySecret, secretPrefixOf } from '../../kernel/auth/api-key-secret.ts';
import { clientPrincipalId, createApiKeySchema, hashApiKeySecret } from './api-key.ts';

const ORG = '01900000-0000-7000-8000-000000000001';
const OTHER_ORG = '01900000-0000-7000-8000-000000000002';

describe('API key secrets', () => {
  it('given two new secrets, then they differ, are well formed, and hash to 64 hex characters', () => {
    const a = newApiKeySecret();
    const b = newApiKeySecret();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^vtk_[A-Za-z0-9_-]{43}$/);
    expect(isWellFormedSecret(a)).toBe(true);
    expect(hashApiKeySecret(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKeySecret(a)).not.toBe(hashApiKeySecret(b));
    expect(hashApiKeySecret(a)).toBe(hashApiKeySecret(a));
  });

  it('given a value that is not one of our secrets, then it is malformed before any lookup', () => {
    for (const value of ['', 'burst-client', 'vtk_short', `vtk_${'a'.repeat(44)}`, `xyz_${'a'.repeat(43)}`, `vtk_${'a'.repeat(42)}!`]) {
      expect(isWellFormedSecret(value), value).toBe(false);
    }
  });

  it('given a secret, then its displayed prefix reveals 6 of its 43 random characters', () => {
    const secret = newApiKeySecret();
    expect(secretPrefixOf(secret)).toBe(secret.slice(0, 10));
    expect(secretPrefixOf(secret)).toHaveLength(10);
  });
});

describe('the principal of a partner client', () => {
  it('given the same client twice, then it is the same UUID; another client or tenant gets another', () => {
    const shop = clientPrincipalId(ORG, 'shop');
    expect(isUuid(shop)).toBe(true);
    expect(shop[14]).toBe('8');
    expect(clientPrincipalId(ORG, 'shop')).toBe(shop);
    expect(clientPrincipalId(ORG, 'warehouse')).not.toBe(shop);
    expect(clientPrincipalId(OTHER_ORG, 'shop')).not.toBe(shop);
  });
});

describe('createApiKey input', () => {
  const parse = (input: unknown) => createApiKeySchema.safeParse(input);

  it('given a client name and partner roles, then it is accepted with duplicates dropped', () => {
    expect(parse({ clientName: ' shop ', roles: ['PARTNER', 'PARTNER', 'FINANCE'] })).toEqual({
      success: true,
      data: { clientName: 'shop', roles: ['PARTNER', 'FINANCE'] },
    });
  });

  it('given ADMIN, DRIVER or CUSTOMER, then the role at fault is named', () => {
    for (const role of ['ADMIN', 'DRIVER', 'CUSTOMER', 'NOT_A_ROLE']) {
      const result = parse({ clientName: 'shop', roles: ['PARTNER', role] });
      expect(result.success).toBe(false);
      expect(result.error!.issues[0]!.path).toEqual(['roles', 1]);
    }
  });

  it('given no roles or a client name that cannot name a manifest, then it is refused', () => {
    expect(parse({ clientName: 'shop', roles: [] }).error!.issues[0]!.path).toEqual(['roles']);
    for (const clientName of ['S', 'Shop', '1shop', 'shop/../x', 'a'.repeat(41), 'shop name']) {
      expect(parse({ clientName, roles: ['PARTNER'] }).error!.issues[0]!.path, clientName).toEqual(['clientName']);
    }
  });
});
