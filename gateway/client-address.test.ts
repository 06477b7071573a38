import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.ts';

const req = (remoteAddress: string, forwarded?: string) =>
  ({ socket: { remoteAddress }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } }) as unknown as IncomingMessage;

describe('client address', () => {
  it('given no trusted proxy, then X-Forwarded-For is ignored', () => {
    expect(clientAddress(req('10.0.0.9', '203.0.113.7'), 0)).toBe('10.0.0.9');
  });

  it('given one trusted proxy, then the rightmost hop is the client, whatever the client prepended', () => {
    expect(clientAddress(req('10.0.0.9', '203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientAddress(req('10.0.0.9', '1.2.3.4, 5.6.7.8, 203.0.113.7'), 1)).toBe('203.0.113.7');
  });

  it('given two trusted proxies, then the hop the outer proxy appended is the client', () => {
    expect(clientAddress(req('10.0.0.9', 'spoofed, 203.0.113.7, 10.0.0.5'), 2)).toBe('203.0.113.7');
  });

  it('given fewer hops than trusted proxies, then the furthest one there is', () => {
    expect(clientAddress(req('10.0.0.9', '203.0.113.7'), 3)).toBe('203.0.113.7');
    expect(clientAddress(req('10.0.0.9'), 2)).toBe('10.0.0.9');
  });
});
