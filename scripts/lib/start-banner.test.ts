import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../subgraphs/platform/config.ts';
import { startBanner } from './start-banner.ts';

const facts = { seconds: 1.2, graphqlUrl: 'http://127.0.0.1:4000/graphql', url: 'http://127.0.0.1:4000', subgraphs: [] };

describe('the npm start banner', () => {
  it('given DATA_DIR=memory://, then it says nothing is kept, not "data stays in memory:///"', () => {
    const text = startBanner(loadConfig({ DATA_DIR: 'memory://' }), facts);
    expect(text).toContain('embedded PostgreSQL in memory)');
    expect(text).toContain('nothing is kept (DATA_DIR=memory://)');
    expect(text).not.toContain('memory:///');
  });

  it('given a data folder, then it names the folder and how to start afresh', () => {
    expect(startBanner(loadConfig({ DATA_DIR: '.data' }), facts)).toContain('data stays in .data/ (npm start -- --reset starts afresh)');
  });

  it('lists every seeded user, the platform operator included', () => {
    const text = startBanner(loadConfig({}), facts);
    for (const email of ['admin@demo.test', 'customer@globex.test', 'operator@platform.test']) expect(text).toContain(email);
    expect(text).toMatch(/operator@platform\.test\s+PLATFORM_OPERATOR\s+platform/);
  });
});
