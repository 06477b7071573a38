import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONFIG_KEYS } from '../subgraphs/platform/config.ts';
import { ALL_CONFIG_KEYS } from '../subgraphs/system/config.ts';
import { CONFIG_PAGE, configDrift, configRows, configTable, duplicated, TABLE_END, TABLE_START, undescribed, withTable } from './lib/config-table.ts';

const page = await readFile(CONFIG_PAGE, 'utf8');

describe('the configuration table', () => {
  it('gives every variable of the schemas a description, and each name one schema', () => {
    expect(undescribed()).toEqual([]);
    expect(duplicated()).toEqual([]);
  });

  it('is committed as the schema describes it today (run `npm run config:table` when this fails)', () => {
    expect(configDrift(page)).toEqual([]);
    expect(page).toBe(withTable(page));
  });

  it('holds every variable the configuration reads, with its default from the schema', () => {
    const rows = configRows();
    expect(rows.map((r) => r.name)).toEqual([...ALL_CONFIG_KEYS]);
    expect(rows.filter((r) => r.readBy === 'platform').map((r) => r.name)).toEqual([...CONFIG_KEYS]);
    const row = (name: string) => rows.find((r) => r.name === name);
    expect(row('GATEWAY_PORT')?.default).toBe('4000');
    expect(row('NODE_ENV')?.default).toBe('`development`');
    expect(row('POSTGRES_URL')?.default).toBe('unset');
    expect(row('POSTGRES_URL')?.meaning).toMatch(/PGlite/);
    for (const name of ALL_CONFIG_KEYS) expect(page, name).toContain(`| \`${name}\` |`);
  });

  it('names a variable without a description', () => {
    const schemas = [
      { readBy: 'platform' as const, env: z.object({ DESCRIBED: z.string().default('x').describe('Something.') }) },
      { readBy: 'audit' as const, env: z.object({ BARE: z.string().optional() }) },
    ];
    expect(undescribed(schemas)).toEqual(['BARE: no description in the schema (add .describe() in subgraphs/audit/config.ts)']);
    const doc = withTable(`# T\n\n${TABLE_START}\n${TABLE_END}\n`, configTable(configRows(schemas)));
    expect(configDrift(doc, schemas)).toEqual([expect.stringMatching(/^BARE: no description/)]);
  });

  it("names a variable a domain's slice declares again", () => {
    const schemas = [
      { readBy: 'platform' as const, env: z.object({ HOST: z.string().default('x').describe('Host.') }) },
      { readBy: 'webhooks' as const, env: z.object({ HOST: z.string().default('y').describe('Again.') }) },
    ];
    expect(duplicated(schemas)).toEqual(['HOST: declared by both platform and webhooks']);
  });

  it('names each variable whose row drifted: another default, another meaning, missing, or no longer read', () => {
    const lines = page.split('\n');
    const edited = lines
      .filter((l) => !l.startsWith('| `HOST` |'))
      .map((l) => (l.startsWith('| `GATEWAY_MAX_DEPTH` |') ? l.replace('| 15 |', '| 16 |') : l))
      .map((l) => (l.startsWith('| `WEBHOOK_POLL_MS` |') ? l.replace('| webhooks |', '| platform |') : l))
      .map((l) => (l.startsWith('| `LOG_LEVEL` |') ? `${l.slice(0, -2)} (edited by hand) |` : l))
      .map((l) => (l === TABLE_END ? `| \`GONE_SETTING\` | platform | 1 | No longer read. |\n${l}` : l))
      .join('\n');

    expect(configDrift(edited)).toEqual([
      'LOG_LEVEL: meaning differs from the schema\'s description',
      'HOST: missing from the table',
      'GATEWAY_MAX_DEPTH: default 16 in the table, 15 in the schema',
      'WEBHOOK_POLL_MS: read by platform in the table, by webhooks in the code',
      'GONE_SETTING: in the table but not in the schema',
    ]);
  });

  it('keeps the prose around the table and refuses a page without markers', () => {
    const framed = `# Title\n\nProse before.\n\n${TABLE_START}\nold\n${TABLE_END}\n\nProse after.\n`;
    const next = withTable(framed, configTable());
    expect(next.startsWith('# Title\n\nProse before.\n\n')).toBe(true);
    expect(next.endsWith('\n\nProse after.\n')).toBe(true);
    expect(next).toContain('| `HOST` | platform | `127.0.0.1` |');
    expect(() => withTable('# no markers\n')).toThrow(/markers/);
    expect(configDrift('# no markers\n')).toEqual([expect.stringMatching(/markers/)]);
  });
});
