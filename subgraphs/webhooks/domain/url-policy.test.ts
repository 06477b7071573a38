import { describe, expect, it } from 'vitest';
import { checkEndpointUrl, isPrivateAddress } from './url-policy.ts';

const open = { blockPrivateNetworks: false };
const strict = { blockPrivateNetworks: true };
const reason = (url: string, o = strict) => {
  const r = checkEndpointUrl(url, o);
  return r.ok ? 'ok' : r.reason;
};

describe('endpoint URL policy', () => {
  it('accepts http and https, refuses every other scheme and malformed URLs', () => {
    expect(reason('https://hooks.example.com/in')).toBe('ok');
    expect(reason('http://hooks.example.com:8080/in?x=1')).toBe('ok');
    expect(reason('ftp://hooks.example.com/')).toMatch(/http or https/);
    expect(reason('file:///etc/passwd', open)).toMatch(/http or https/);
    expect(reason('javascript:alert(1)', open)).toMatch(/http or https/);
    expect(reason('not a url', open)).toMatch(/not a valid URL/);
    expect(reason(`https://e.com/${'a'.repeat(2100)}`)).toMatch(/at most/);
  });

  it('refuses credentials in the URL', () => {
    expect(reason('https://user:pw@hooks.example.com/', open)).toMatch(/user name or password/);
  });

  it('with private networks blocked, refuses loopback, private, link-local and metadata hosts, however spelt', () => {
    for (const url of [
      'http://localhost:8080/', 'http://api.localhost/', 'http://127.0.0.1/', 'http://127.1.2.3/', 'http://10.0.0.5/', 'http://172.16.0.1/',
      'http://192.168.1.1/', 'http://169.254.169.254/latest/meta-data', 'http://0.0.0.0/', 'http://[::1]/', 'http://[fe80::1]/',
      'http://[fd00::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:a9fe:a9fe]/', 'http://2130706433/', 'http://0x7f.1/', 'http://100.64.0.1/',
    ]) {
      expect(reason(url), url).toMatch(/loopback, private or link-local/);
    }
  });

  it('with private networks blocked, accepts public addresses and names', () => {
    for (const url of ['https://8.8.8.8/', 'https://[2606:4700:4700::1111]/', 'https://172.32.0.1/', 'https://hooks.example.com/']) {
      expect(reason(url), url).toBe('ok');
    }
  });

  it('outside production (not blocked), accepts a loopback receiver such as a developer’s n8n', () => {
    expect(reason('http://127.0.0.1:5678/webhook/abc', open)).toBe('ok');
    expect(reason('http://localhost:5678/webhook/abc', open)).toBe('ok');
  });

  it('classifies resolved addresses as the connect-time check sees them', () => {
    expect(isPrivateAddress('127.0.0.1')).toBe(true);
    expect(isPrivateAddress('::ffff:10.1.2.3')).toBe(true);
    expect(isPrivateAddress('64:ff9b::7f00:1')).toBe(true);
    expect(isPrivateAddress('fe80::1%eth0')).toBe(true);
    expect(isPrivateAddress('93.184.216.34')).toBe(false);
    expect(isPrivateAddress('2a00:1450:4001::200e')).toBe(false);
    expect(isPrivateAddress('not-an-ip')).toBe(false);
  });
});
