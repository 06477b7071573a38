import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestGraph, type TestGraph } from '../../../gateway/testing/harness.ts';
import { build, WEB_DIR } from '../../../scripts/web.ts';
import { launchChromium, screenshot } from './browser.ts';

/**
 * The recommended production setup (docs/web.md): GATEWAY_TRUSTED_DOCUMENTS=safelist. The built
 * app runs on its manifest's ids alone, subscriptions included; free text, an unknown id and a
 * subscription outside the manifest are refused with Apollo's safelisting codes.
 */
describe('trusted documents: the gateway runs only the web app’s manifest', () => {
  let g: TestGraph;
  let browser: Browser;
  const manifest = () =>
    (JSON.parse(readFileSync(join(WEB_DIR, 'dist/persisted-query-manifest.json'), 'utf8')) as { operations: Array<{ id: string; name: string; body: string }> }).operations;
  const post = (body: unknown, token?: string) =>
    fetch(g.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const byId = (name: string) => ({ persistedQuery: { version: 1, sha256Hash: manifest().find((o) => o.name === name)!.id } });

  beforeAll(async () => {
    build();
    g = await startTestGraph('pglite', { GATEWAY_TRUSTED_DOCUMENTS: 'safelist' });
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await g?.close();
  }, 120_000);

  it('refuses free text and unknown ids over HTTP, answers the manifest’s ids', async () => {
    const text = await post({ query: '{ __typename }' });
    expect(text.status).toBe(400);
    expect(((await text.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('PERSISTED_QUERY_ID_REQUIRED');
    const unknown = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    const login = await post({ operationName: 'Login', variables: { email: 'customer@demo.test', password: 'voidtracker' }, extensions: byId('Login') });
    const body = (await login.json()) as { data: { login: { accessToken: string; user: { email: string } } } };
    expect(body.data.login.user.email).toBe('customer@demo.test');
  });

  it('opens a subscription only with its manifest text', async () => {
    const token = await (async () => {
      const res = await post({ operationName: 'Login', variables: { email: 'customer@demo.test', password: 'voidtracker' }, extensions: byId('Login') });
      return ((await res.json()) as { data: { login: { accessToken: string } } }).data.login.accessToken;
    })();
    const stream = (query: string) =>
      fetch(new URL('/graphql/stream', g.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables: { id: '01900000-0000-7000-8000-000000000999' } }),
      });
    const outside = await stream('subscription($id: ID!) { orderUpdated(id: $id) { id status } }');
    expect(outside.status).toBe(404);
    expect(await outside.text()).toContain('PERSISTED_QUERY_NOT_IN_LIST');
    const listed = await stream(manifest().find((o) => o.name === 'OrderUpdated')!.body);
    expect(listed.status).toBe(200);
    await listed.body?.cancel();
  });

  it('the built app signs in and reads through the safelist alone', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${new URL(g.url).origin}/app/`);
    await page.getByLabel('Email').fill('customer@demo.test');
    await page.getByLabel('Password').fill('voidtracker');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Orders' }).waitFor();
    await page.getByTestId('user').waitFor();
    // The orders list answered (an empty list is an answer): no refusal on screen.
    await page.waitForLoadState('networkidle');
    expect(await page.locator('[role="alert"]').count()).toBe(0);
    await screenshot(page, 'trusted-orders');
    await context.close();
  }, 60_000);
});
