import { describe, expect, it } from 'vitest';
import { refusePrivateHost } from './endpoints.ts';
import type { Resolver } from './sender.ts';

const dns: Resolver = (host, callback) => {
  const table: Record<string, string[]> = { 'hooks.partner.test': ['203.0.113.10'], 'intranet.partner.test': ['203.0.113.11', '10.1.2.3'], 'v6.partner.test': ['fd00::5'] };
  const found = table[host];
  if (!found) return callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []);
  callback(null, found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
};

const fieldOf = async (url: string) => {
  try {
    await refusePrivateHost(url, dns);
    return 'ok';
  } catch (error) {
    return `${(error as { extensions: { code: string; field: string } }).extensions.code} ${(error as { extensions: { field: string } }).extensions.field}: ${(error as Error).message}`;
  }
};

describe('registration-time host check (private networks blocked)', () => {
  it('given a name resolving to public addresses only, accepts it', async () => {
    expect(await fieldOf('https://hooks.partner.test/in')).toBe('ok');
  });

  it('given a name with any private address among its answers, refuses it on the url field', async () => {
    expect(await fieldOf('https://intranet.partner.test/in')).toMatch(/^BAD_USER_INPUT url: .*resolves to 10\.1\.2\.3/);
    expect(await fieldOf('https://v6.partner.test/in')).toMatch(/^BAD_USER_INPUT url: .*resolves to fd00::5/);
  });

  it('given a name that does not resolve, refuses it', async () => {
    expect(await fieldOf('https://typo.partner.test/in')).toMatch(/^BAD_USER_INPUT url: url: typo\.partner\.test does not resolve/);
  });

  it('leaves literal addresses to the URL policy, which has already judged them', async () => {
    expect(await fieldOf('https://203.0.113.5/in')).toBe('ok');
  });
});
