import { describe, expect, it } from 'vitest';
import { checkEndpointUrl, embeddedIpv4, ipv6Groups, isPrivateAddress } from './url-policy.ts';

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

  it('refuses every IPv6 spelling of a loopback or private IPv4 address (issue 21 #13)', () => {
    for (const host of [
      '::7f00:1', '::127.0.0.1', '::ffff:0:7f00:1', '::ffff:0:127.0.0.1', '0:0:0:0:0:ffff:7f00:1', '::ffff:7f00:1', '::FFFF:127.0.0.1',
      '64:ff9b::7f00:1', '64:ff9b::10.0.0.1', '64:ff9b::a9fe:a9fe', '2002:7f00:1::', '2002:a9fe:a9fe::1', '2002:c0a8:101::', '::a00:1', '::',
      '0:0:0:0:0:0:0:0', '::1', '0:0:0:0:0:0:0:1', '::0.0.0.1',
    ]) {
      expect(isPrivateAddress(host), host).toBe(true);
      expect(isPrivateAddress(`[${host}]`), `[${host}]`).toBe(true);
    }
  });

  it('refuses unique-local, link-local, site-local, multicast, Teredo, NAT64 local-use and discard IPv6, with or without a zone', () => {
    for (const host of [
      'fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%eth0', '[fe80::1%25eth0]', 'febf::1', 'fec0::1', 'ff02::1', 'ff05::1:3',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001::1', '64:ff9b:1::a00:1', '100::1',
    ]) {
      expect(isPrivateAddress(host), host).toBe(true);
    }
  });

  it('accepts public IPv6, including public IPv4 behind NAT64 and 6to4', () => {
    for (const host of ['2606:4700:4700::1111', '2a00:1450:4001::200e', '64:ff9b::808:808', '2002:808:808::1', '::ffff:8.8.8.8', '2001:4860:4860::8888']) {
      expect(isPrivateAddress(host), host).toBe(false);
    }
  });

  it('reads the IPv4 address inside each embedding form', () => {
    const inner = (a: string) => embeddedIpv4(ipv6Groups(a)!);
    expect(inner('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(inner('::ffff:0:a00:1')).toBe('10.0.0.1');
    expect(inner('::7f00:1')).toBe('127.0.0.1');
    expect(inner('64:ff9b::c0a8:1')).toBe('192.168.0.1');
    expect(inner('2002:a9fe:a9fe::')).toBe('169.254.169.254');
    expect(inner('2606:4700:4700::1111')).toBeUndefined();
    expect(ipv6Groups('1:2:3:4:5:6:1.2.3.4')).toEqual([1, 2, 3, 4, 5, 6, 0x102, 0x304]);
    expect(ipv6Groups('127.0.0.1')).toBeUndefined();
  });

  it('refuses IPv4 in decimal, octal, hex, short and trailing-dot forms, and localhost with a trailing dot', () => {
    for (const url of [
      'http://2130706433/', 'http://017700000001/', 'http://0x7f000001/', 'http://0x7f.0.0.1/', 'http://0177.0.0.1/', 'http://127.1/',
      'http://10.1/', 'http://0/', 'http://127.0.0.1./', 'http://localhost./', 'http://LOCALHOST/', 'http://[::ffff:0:7f00:1]/',
      'http://[::7f00:1]:8080/', 'http://0xa9.0xfe.0xa9.0xfe/', 'http://[64:ff9b::169.254.169.254]/', 'http://[2002:7f00:1::]/',
    ]) {
      expect(reason(url), url).toMatch(/loopback, private or link-local/);
    }
  });
});

