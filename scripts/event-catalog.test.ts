import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { eventCatalogPage } from './lib/event-catalog.ts';

describe('the event catalog', () => {
  it('is committed as the contracts describe it today (run `npm run events:catalog` when this fails)', async () => {
    expect(await readFile('docs/event-catalog.md', 'utf8')).toBe(eventCatalogPage());
  });

  it('lists each event with its producer, consumers and payload fields', () => {
    const page = eventCatalogPage();
    /** The producer, consumers and payload cells of an event's row. */
    const row = (type: string) => {
      const line = page.split('\n').find((l) => l.startsWith(`| \`${type}\` |`));
      const [, producer, consumers, payload] = (line ?? '').split(' | ');
      return { producer, consumers: consumers?.split(', ') ?? [], payload };
    };
    const planned = row('voidtracker.planning.route.planned.v1');
    expect(planned.producer).toBe('planning');
    expect(planned.consumers).toEqual(expect.arrayContaining(['billing', 'orders', 'audit']));
    expect(planned.payload).toMatch(/`routeId: string \(uuid\)`/);
    const created = row('voidtracker.orders.order.created.v1');
    expect(created.producer).toBe('orders');
    expect(created.consumers).toEqual(expect.arrayContaining(['billing', 'planning', 'audit']));
  });
});
