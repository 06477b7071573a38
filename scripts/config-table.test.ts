import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONFIG_KEYS } from '../subgraphs/platform/config.ts';
import { CONFIG_PAGE, configDrift, configRows, configTable, TABLE_END, TABLE_START, undescribed, withTable } from './lib/config-table.ts';

const page = await readFile(CONFIG_PAGE, 'utf8');

describe('the configuration table', () => {
  it('gives every variable of the schema a description', () => {
    expect(undescribed()).toEqual([]);
  });

  it('is committed as the schema describes it today (run `npm run config:table` when this fails)', () => {
    expect(configDrift(page)).toEqual([]);
    expect(page).toBe(withTable(page));
  });

  it('holds every variable the configuration reads, with its default from the schema', () => {
    const rows = configRows();
    expect(rows.map((r) => r.name)).toEqual([...CONFIG_KEYS]);
    const row = (name: string) => rows.find((r) => r.name === name);
    expect(row('GATEWAY_PORT')?.default).toBe('4000');
    expect(row('NODE_ENV')?.default).toBe('`development`');
    expect(row('POSTGRES_URL')?.default).toBe('unset');
    expect(row('POSTGRES_URL')?.meaning).toMatch(/PGlite/);
    for (const name of CONFIG_KEYS) expect(page, name).toContain(`| \`${name}\` |`);
  });

  it('names a variable without a description', () => {
    const schema = z.object({ DESCRIBED: z.string().default('x').describe('Something.'), BARE: z.string().optional() });
    expect(undescribed(schema)).toEqual(['BARE']);
    const doc = withTable(`# T\n\n${TABLE_START}\n${TABLE_END}\n`, configTable(configRows(schema)));
    expect(configDrift(doc, schema)).toEqual([expect.stringMatching(/^BARE: no description/)]);
  });

  it('names each variable whose row drifted: another default, another meaning, missing, or no longer read', () => {
    const lines = page.split('\n');
    const edited = lines
      .filter((l) => !l.startsWith('| `HOST` |'))
      .map((l) => (l.startsWith('| `GATEWAY_MAX_DEPTH` |') ? l.replace('| 15 |', '| 16 |') : l))
      .map((l) => (l.startsWith('| `LOG_LEVEL` |') ? `${l.slice(0, -2)} (edited by hand) |` : l))
      .map((l) => (l === TABLE_END ? `| \`GONE_SETTING\` | 1 | No longer read. |\n${l}` : l))
      .join('\n');

    expect(configDrift(edited)).toEqual([
      'LOG_LEVEL: meaning differs from the schema\'s description',
      'HOST: missing from the table',
      'GATEWAY_MAX_DEPTH: default 16 in the table, 15 in the schema',
      'GONE_SETTING: in the table but not in the schema',
    ]);
  });

  it('keeps the prose around the table and refuses a page without markers', () => {
    const framed = `# Title\n\nProse before.\n\n${TABLE_START}\nold\n${TABLE_END}\n\nProse after.\n`;
    const next = withTable(framed, configTable());
    expect(next.startsWith('# Title\n\nProse before.\n\n')).toBe(true);
    expect(next.endsWith('\n\nProse after.\n')).toBe(true);
    expect(next).toContain('| `HOST` | `127.0.0.1` |');
    expect(() => withTable('# no markers\n')).toThrow(/markers/);
    expect(configDrift('# no markers\n')).toEqual([expect.stringMatching(/markers/)]);
  });
});
