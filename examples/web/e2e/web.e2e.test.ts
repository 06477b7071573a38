import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { orderInput, startTestGraph, type TestGraph } from '../../../gateway/testing/harness.ts';
import { eventually } from '../../../subgraphs/platform/events/testing/test-support.ts';
import { build } from '../../../scripts/web.ts';
import { accessibilityViolations, launchChromium, screenshot } from './browser.ts';

/**
 * The web app in a real browser (Debian's Chromium through playwright-core) against the whole
 * graph as `npm start` runs it, the built app served at /app: a dispatcher plans a day on the
 * live board, a customer's tracking page follows the delivery without a reload, finance issues
 * the invoice, and every refusal shows the graph's code. Access tokens live 20 s here, so the
 * session rotates while the test runs.
 */
describe('the web app in Chromium', () => {
  let g: TestGraph;
  let browser: Browser;
  let origin: string;
  const contexts: BrowserContext[] = [];
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const made: { depotId?: string; customerOrder?: string; routeId?: string; stopId?: string } = {};
  /** The test's own API tokens, renewed by signing in again before the short access TTL ends. */
  const tokens: Record<string, { token: string; at: number }> = {};
  const tokenOf = async (who: string) => {
    const held = tokens[who];
    if (held && Date.now() - held.at < 10_000) return held.token;
    tokens[who] = { token: await g.login(who.includes('@') ? who : `${who}@demo.test`), at: Date.now() };
    return tokens[who]!.token;
  };
  const shots: string[] = [];

  const ok = async (query: string, variables: Record<string, unknown>, as: string) => {
    const res = await g.gql(query, variables, await tokenOf(as));
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!;
  };

  /** A fresh browser profile signed in through the sign-in page. */
  async function signedIn(email: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-GB' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${origin}/app/`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('voidtracker');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('user').waitFor();
    return page;
  }
  const expectAccessible = async (page: Page) => expect(await accessibilityViolations(page)).toEqual([]);

  beforeAll(async () => {
    build();
    g = await startTestGraph('pglite', { JWT_ACCESS_TTL_SECONDS: '20' });
    origin = new URL(g.url).origin;
    browser = await launchChromium();
    // Money and dates in the organization's locale: German, in euros.
    await ok('mutation { updateOrganizationSettings(input: { locale: "de-DE" }) { locale } }', {}, 'admin');
    made.depotId = (await ok(
      'mutation($i: CreateDepotInput!) { createDepot(input: $i) { id } }',
      { i: { name: 'Berlin Mitte', line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 } },
      'dispatcher',
    )).createDepot.id;
    await ok(
      'mutation($i: CreateVehicleInput!) { createVehicle(input: $i) { id } }',
      { i: { name: 'Van 1', plate: `B-WEB-${Date.now() % 10_000}`, capacityKg: 500, shiftStart: '08:00', shiftEnd: '18:00', costPerKm: '0.85', homeDepotId: made.depotId } },
      'dispatcher',
    );
    made.customerOrder = (await ok('mutation($i: CreateOrderInput!) { createOrder(input: $i) { id } }', { i: orderInput({ reference: 'CORA-1' }) }, 'customer')).createOrder.id;
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await g?.close();
    console.log(`screenshots:\n  ${shots.join('\n  ')}`);
  }, 120_000);

  it('shows the sign-in page at /app and the refusal of a wrong password by its code', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${origin}/app/`);
    await expect(page.getByRole('heading', { name: 'Sign in to VoidTracker' }).isVisible()).resolves.toBe(true);
    await expectAccessible(page);
    shots.push(await screenshot(page, 'sign-in'));
    await page.getByLabel('Email').fill('dispatcher@demo.test');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('.error-code').first().textContent()).resolves.toBe('UNAUTHENTICATED');
  }, 60_000);

  it('dispatcher: creates orders, sees a bad input refused by code, plans the day with an unserved reason, assigns the driver on the live board, across a token rotation', async () => {
    const page = await signedIn('dispatcher@demo.test');
    await page.goto(`${origin}/app/board?depot=${made.depotId}&date=${day}`);
    await page.getByRole('heading', { name: 'Dispatcher board' }).waitFor();
    // A marker that a page load would wipe: the session must rotate without one.
    await page.evaluate(() => ((window as unknown as { unreloaded: boolean }).unreloaded = true));
    const firstToken = await page.evaluate(() => JSON.parse(localStorage.getItem('voidtracker.session')!).accessToken as string);

    const form = page.getByRole('form', { name: 'New order' });
    const fill = async (fields: Record<string, string>) => {
      for (const [label, value] of Object.entries(fields)) await form.getByLabel(label, { exact: true }).fill(value);
      await form.getByRole('button', { name: 'Create order' }).click();
    };
    const dropoff = { Street: 'Am Kanal 4', City: 'Potsdam', 'Postal code': '14467', Latitude: '52.3989', Longitude: '13.0657' };
    await fill({ ...dropoff, Reference: 'BAD-1', 'Weight (kg)': '-3' });
    const refusal = page.locator('section[aria-labelledby="create-heading"] [role="alert"]');
    await expect(refusal.locator('.error-code').textContent()).resolves.toBe('BAD_USER_INPUT');
    await expect(refusal.locator('.error-field').textContent()).resolves.toMatch(/weight/i);
    shots.push(await screenshot(page, 'board-bad-input'));

    await fill({ ...dropoff, Reference: 'DAN-1', 'Weight (kg)': '4' });
    const created = await page.getByTestId('created-order').textContent();
    expect(created).toMatch(/\S/);
    await fill({ ...dropoff, Reference: 'HEAVY-1', 'Weight (kg)': '900' });
    await page.getByTestId('created-order').filter({ hasNotText: created! }).waitFor();
    const heavy = (await page.getByTestId('created-order').textContent())!;

    await eventually('the orders in the planning pool', async () => {
      const pool = (await ok('query { planningPool(first: 100) { edges { node { order { id } } } } }', {}, 'dispatcher')).planningPool.edges.map((e: { node: { order: { id: string } } }) => e.node.order.id);
      return [made.customerOrder, created, heavy].every((id) => pool.includes(id));
    });
    // The waiting orders, with their customer: the pool reaches planning by event, so it is read on demand.
    const pool = page.getByTestId('pool');
    await page.getByRole('button', { name: 'Refresh waiting orders' }).click();
    await pool.locator(`tr[data-order-id="${heavy}"]`).waitFor();
    await expect(pool.locator(`tr[data-order-id="${made.customerOrder}"]`).textContent()).resolves.toContain('Cora Customer');
    await page.getByRole('button', { name: `Plan ${day}` }).click();
    const plan = page.getByTestId('plan-result');
    await expect(plan.textContent()).resolves.toContain('1 route(s) planned, 1 order(s) unserved');
    await expect(plan.getByRole('list', { name: 'Unserved orders' }).textContent()).resolves.toContain('HEAVY-1');
    await expect(plan.textContent()).resolves.toMatch(/DEMAND_EXCEEDS_CAPACITY|FLEET_TOO_SMALL/);
    // Planned orders leave the waiting list; the unserved one stays.
    await pool.locator(`tr[data-order-id="${made.customerOrder}"]`).waitFor({ state: 'detached' });
    await expect(pool.locator(`tr[data-order-id="${heavy}"]`).count()).resolves.toBe(1);

    // The board is live: the plan arrives as a dispatchBoard push over graphql-ws.
    const route = page.locator('article[data-route-id]');
    await route.locator(`tr[data-order-id="${made.customerOrder}"]`).waitFor();
    await page.getByTestId('board-live').filter({ hasText: /^Live$/ }).waitFor();
    made.routeId = (await route.getAttribute('data-route-id'))!;

    // Outlive the first access token, then act: the session rotated in place, no reload.
    await page.waitForFunction((t) => JSON.parse(localStorage.getItem('voidtracker.session') ?? '{}').accessToken !== t, firstToken, { timeout: 30_000 });
    await route.getByLabel('Driver').selectOption({ label: 'Dee Driver' });
    await eventually('the driver on the route', async () => (await ok('query($r: ID!) { route(id: $r) { driver { name } } }', { r: made.routeId }, 'dispatcher')).route.driver?.name === 'Dee Driver');
    // Another dispatcher tab's change reaches this board through the subscription alone.
    await ok('mutation($r: ID!) { startRoute(routeId: $r) { id } }', { r: made.routeId }, 'driver');
    await route.locator('h3', { hasText: 'IN_PROGRESS' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { unreloaded?: boolean }).unreloaded)).toBe(true);
    await expectAccessible(page);
    shots.push(await screenshot(page, 'dispatcher-board'));
  }, 180_000);

  it('customer: the tracking page follows the delivery live over graphql-sse; another tenant’s customer sees NOT_FOUND', async () => {
    const page = await signedIn('customer@demo.test');
    await page.goto(`${origin}/app/track/${made.customerOrder}`);
    const status = page.getByTestId('order-status');
    await expect(status.textContent()).resolves.toBe('IN_TRANSIT');
    await expect(page.getByTestId('proof-of-delivery').count()).resolves.toBe(0);
    await expect(page.getByTestId('quote-total').textContent()).resolves.toContain('€');
    await expect(page.getByTestId('history').locator('li').count()).resolves.toBeGreaterThanOrEqual(2);
    await expectAccessible(page);
    shots.push(await screenshot(page, 'tracking-in-transit'));

    const stopId = (await ok('query($id: ID!) { order(id: $id) { stop { id } } }', { id: made.customerOrder }, 'dispatcher')).order.stop.id;
    const completed = Date.now();
    await ok('mutation($s: ID!, $p: ProofOfDeliveryInput!) { completeStop(stopId: $s, proof: $p) { status } }', { s: stopId, p: { recipientName: 'Cora Customer', signatureRef: 'sig/web' } }, 'driver');
    await page.getByTestId('order-status').filter({ hasText: 'DELIVERED' }).waitFor({ timeout: 30_000 });
    console.log(`tracking page showed DELIVERED ${Date.now() - completed} ms after completeStop answered`);
    await expect(page.getByTestId('history').textContent()).resolves.toContain('DELIVERED');
    // The proof the driver recorded, pushed with the status: who took the parcels, and that they signed.
    await expect(page.getByTestId('proof-recipient').textContent()).resolves.toBe('Cora Customer');
    await expect(page.getByTestId('proof-of-delivery').textContent()).resolves.toContain('signed');
    shots.push(await screenshot(page, 'tracking-delivered'));

    const stranger = await signedIn('customer@globex.test');
    await stranger.goto(`${origin}/app/track/${made.customerOrder}`);
    await expect(stranger.locator('.error-code').first().textContent()).resolves.toBe('NOT_FOUND');
    shots.push(await screenshot(stranger, 'tracking-not-found'));
  }, 120_000);

  it('finance: completes the delivered order’s draft, sees a bad amount refused by code, issues it, money in the organization’s locale', async () => {
    await eventually('the delivered order on a draft', async () => {
      const res = await g.gql('query($id: ID!) { order(id: $id) { invoice { status } } }', { id: made.customerOrder }, await tokenOf('finance'));
      return (res.data?.order as { invoice?: { status: string } } | undefined)?.invoice?.status === 'DRAFT';
    });
    const page = await signedIn('finance@demo.test');
    await page.getByRole('heading', { name: 'Finance' }).waitFor();
    await page.getByRole('button', { name: 'Open invoice of Cora Customer' }).first().click();
    const detail = page.getByTestId('invoice-detail');
    const lineForm = detail.getByRole('form', { name: 'Add a line' });
    await lineForm.getByLabel('Description').fill('Waiting time');
    await lineForm.getByLabel('Unit price').fill('twelve');
    await lineForm.getByRole('button', { name: 'Add line' }).click();
    await expect(detail.locator('.error-code').first().textContent()).resolves.toBe('BAD_USER_INPUT');
    await expect(detail.locator('.error-field').first().textContent()).resolves.toMatch(/unitPrice/);

    await lineForm.getByLabel('Unit price').fill('12.50');
    await lineForm.getByRole('button', { name: 'Add line' }).click();
    await detail.getByRole('cell', { name: 'Waiting time' }).waitFor();
    // de-DE: a comma before the cents and the euro sign after the amount.
    await expect(detail.getByRole('row').filter({ hasText: 'Waiting time' }).textContent()).resolves.toMatch(/12,50\s€/);
    await detail.getByRole('button', { name: 'Issue invoice' }).click();
    await expect(page.getByTestId('issued-number').textContent()).resolves.toMatch(/\d/);
    await expect(detail.getByTestId('invoice-status').textContent()).resolves.toBe('ISSUED');
    await expect(detail.getByTestId('invoice-total').textContent()).resolves.toMatch(/^\d{1,3}(\.\d{3})*,\d{2}\s€$/);
    await expectAccessible(page);
    shots.push(await screenshot(page, 'finance-issued'));
  }, 120_000);
});
