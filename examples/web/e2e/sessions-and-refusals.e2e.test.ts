import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Request, Response } from 'playwright-core';
import { orderInput, startTestGraph, type TestGraph } from '../../../gateway/testing/harness.ts';
import { build } from '../../../scripts/web.ts';
import { launchChromium, screenshot } from './browser.ts';

/**
 * The app's refusals and its session across tabs, in Chromium against a graph whose login limit is
 * on (three attempts per account in a burst) and whose access tokens live 20 s: a customer on a
 * dispatcher's screen sees FORBIDDEN, repeated wrong passwords end in RATE_LIMITED, and two tabs
 * of one browser profile rotate the shared session once per expiry, both staying signed in.
 */
describe('the web app: refusals by code, and one session in two tabs', () => {
  let g: TestGraph;
  let browser: Browser;
  let origin: string;
  const contexts: BrowserContext[] = [];
  const shots: string[] = [];
  const sessionOf = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('voidtracker.session') ?? 'null') as { accessToken: string; refreshToken: string } | null);
  const operationOf = (r: Request) => (r.method() === 'POST' ? ((r.postDataJSON() as { operationName?: string } | null)?.operationName ?? null) : null);

  async function signIn(page: Page, email: string, password = 'voidtracker') {
    await page.goto(`${origin}/app/`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  async function newContext() {
    const context = await browser.newContext({ locale: 'en-GB' });
    contexts.push(context);
    return context;
  }
  /** Shows the customer's orders afresh (no reload): the answer the page got for it. */
  async function reloadOrders(page: Page): Promise<Response> {
    await page.getByRole('link', { name: 'Board' }).click();
    const answer = page.waitForResponse((r) => operationOf(r.request()) === 'MyOrders');
    await page.getByRole('link', { name: 'Orders' }).click();
    return answer;
  }

  beforeAll(async () => {
    build();
    g = await startTestGraph('pglite', {
      JWT_ACCESS_TTL_SECONDS: '20',
      // The login limit needs the rate limit on; the general one generous, the per-account burst small.
      GATEWAY_RATE_LIMIT_PER_SECOND: '1000',
      GATEWAY_RATE_LIMIT_BURST: '2000',
      GATEWAY_LOGIN_ACCOUNT_BURST: '3',
    });
    origin = new URL(g.url).origin;
    browser = await launchChromium();
    await g.gql('mutation($i: CreateOrderInput!) { createOrder(input: $i) { id } }', { i: orderInput({ reference: 'TABS-1' }) }, await g.login('customer@demo.test'));
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await g?.close();
    console.log(`screenshots:\n  ${shots.join('\n  ')}`);
  }, 120_000);

  it('two tabs of one profile: one rotation per expiry, the other tab takes the new tokens, both stay signed in; a dispatcher screen shows FORBIDDEN', async () => {
    const context = await newContext();
    /** The refresh calls the graph ran, with the refresh token each spent. */
    const refreshes: Array<{ spent: string; errors?: unknown }> = [];
    context.on('response', async (r) => {
      if (operationOf(r.request()) !== 'RefreshSession') return;
      const body = (await r.json().catch(() => ({}))) as { errors?: Array<{ extensions?: { code?: string } }> };
      // APQ (the test graph's default): an unknown hash is answered so, then sent again with its text.
      if (body.errors?.some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND')) return;
      refreshes.push({ spent: (r.request().postDataJSON() as { variables: { refreshToken: string } }).variables.refreshToken, errors: body.errors });
    });
    const first = await context.newPage();
    await signIn(first, 'customer@demo.test');
    await first.getByTestId('user').waitFor();
    const second = await context.newPage();
    await second.goto(`${origin}/app/`);
    await second.getByTestId('user').waitFor();
    const signedInWith = (await sessionOf(first))!;

    // A customer on the dispatcher's board: the graph refuses its reads, the page says FORBIDDEN.
    await second.goto(`${origin}/app/board`);
    await expect(second.locator('.error-code').first().textContent()).resolves.toBe('FORBIDDEN');
    shots.push(await screenshot(second, 'board-forbidden'));
    await second.getByRole('link', { name: 'Orders' }).click();
    await second.getByRole('link', { name: 'TABS-1' }).waitFor();

    // Two expiries: each tab's timer comes due, yet each refresh token is spent once.
    const rotations: string[] = [signedInWith.refreshToken];
    for (let i = 0; i < 2; i++) {
      await first.waitForFunction((t) => JSON.parse(localStorage.getItem('voidtracker.session') ?? '{}').refreshToken !== t, rotations.at(-1), { timeout: 40_000 });
      rotations.push((await sessionOf(first))!.refreshToken);
    }
    await expect.poll(() => refreshes.length).toBeGreaterThanOrEqual(2);
    for (const page of [first, second]) {
      await expect(page.getByTestId('user').textContent()).resolves.toBe('Cora Customer');
      // Each tab reads with the rotated session; a revoked one would answer UNAUTHENTICATED and sign out.
      const answer = await reloadOrders(page);
      const body = (await answer.json()) as { errors?: unknown; data?: { orders: { edges: Array<{ node: { reference: string } }> } } };
      expect(body.errors).toBeUndefined();
      expect(body.data!.orders.edges.map((e) => e.node.reference)).toContain('TABS-1');
      expect(answer.request().headers().authorization).not.toContain(signedInWith.accessToken);
    }
    expect((await sessionOf(second))!.refreshToken).toBe(rotations.at(-1));
    // One call per expiry between the two tabs, each spending the token the one before it gave.
    expect(refreshes).toEqual([{ spent: rotations[0], errors: undefined }, { spent: rotations[1], errors: undefined }]);
  }, 150_000);

  // Last: the failures it leaves on the client address would slow the sign-ins after it.
  it('shows RATE_LIMITED by its code once an account has had its wrong passwords', async () => {
    const page = await (await newContext()).newPage();
    const codes: string[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      await signIn(page, 'auditor@demo.test', `wrong-${attempt}`);
      const code = page.locator('.error-code').first();
      await code.waitFor();
      codes.push((await code.textContent())!);
    }
    expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
    shots.push(await screenshot(page, 'sign-in-rate-limited'));
  }, 90_000);
});
