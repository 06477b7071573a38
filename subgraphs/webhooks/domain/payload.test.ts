import { describe, expect, it } from 'vitest';
import { excerpt } from './excerpt.ts';
import { deliveryBody } from './payload.ts';

describe('delivery body', () => {
  it('is the CloudEvents JSON with public attributes only: no orgid, no traceparent', () => {
    const body = JSON.parse(
      deliveryBody({
        specversion: '1.0',
        id: 'e1',
        source: '/voidtracker/orders',
        type: 'voidtracker.orders.order.created.v1',
        subject: 'o1',
        time: '2026-12-05T12:00:00.000Z',
        datacontenttype: 'application/json',
        data: { orderId: 'o1' },
        orgid: 'org-1',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      }),
    );
    expect(body).toEqual({
      specversion: '1.0',
      id: 'e1',
      source: '/voidtracker/orders',
      type: 'voidtracker.orders.order.created.v1',
      subject: 'o1',
      time: '2026-12-05T12:00:00.000Z',
      datacontenttype: 'application/json',
      data: { orderId: 'o1' },
    });
  });
});

describe('response excerpt', () => {
  it('keeps short bodies whole and cuts long ones to 1 KB on a character boundary', () => {
    expect(excerpt('ok')).toBe('ok');
    expect(Buffer.byteLength(excerpt('x'.repeat(5000)))).toBe(1024);
    const cut = excerpt(`${'x'.repeat(1023)}é and more`);
    expect(cut).toBe('x'.repeat(1023));
    expect(cut).not.toContain('\uFFFD');
  });
});
