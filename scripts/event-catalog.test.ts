import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { eventCatalogPage } from './lib/event-catalog.ts';

describe('the event catalog', () => {
  it('is committed as the contracts describe it today (run `npm run events:catalog` when this fails)', async () => {
    expect(await readFile('docs/event-catalog.md', 'utf8')).toBe(eventCatalogPage());
  });

  it('lists each event with its producer, consumers and payload fields', () => {
    const page = eventCatalogPage();
    expect(page).toMatch(/\| `voidtracker\.planning\.route\.planned\.v1` \| planning \| billing, orders \| `routeId: string \(uuid\)`/);
    expect(page).toMatch(/\| `voidtracker\.orders\.order\.created\.v1` \| orders \| billing, planning \|/);
  });
});
