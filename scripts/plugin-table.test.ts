import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PLUGINS } from '../gateway/pipeline.ts';
import { definePlugin } from '../gateway/plugins/types.ts';
import { configSlice } from '../subgraphs/platform/config.ts';
import { PLUGIN_PAGE, pluginTable, withPluginTable } from './lib/plugin-table.ts';

describe('the table of plugins in docs/gateway.md', () => {
  it('is committed as the definitions say today (run `npm run plugins:table` when this fails)', async () => {
    const page = await readFile(PLUGIN_PAGE, 'utf8');
    expect(page).toBe(withPluginTable(page));
  });

  it('has a row per plugin in PLUGINS order, with its codes and the variables of its own settings', () => {
    const rows = pluginTable().split('\n').filter((l) => /^\| [a-z-]+ \|/.test(l));
    expect(rows.map((r) => r.split(' | ')[0]!.slice(2))).toEqual(PLUGINS.map((p) => p.name));
    const greeting = definePlugin({
      name: 'greeting',
      description: 'Says | hello.',
      codes: ['GREETING_REFUSED'],
      stream: true,
      config: configSlice(z.object({ GATEWAY_GREETING: z.string().default('hi').describe('What it says.') }), (e) => e.GATEWAY_GREETING),
      create: () => undefined,
    });
    expect(pluginTable([greeting])).toContain('| greeting | `GREETING_REFUSED` | `GATEWAY_GREETING` | yes | Says \\| hello. |');
  });
});
