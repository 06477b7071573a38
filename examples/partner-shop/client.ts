/**
 * A shop's integration with VoidTracker, as a partner would write it: plain fetch, the API key
 * from the environment, and only persisted-query ids on the wire (the ids come from the shop's
 * manifest, persisted-queries/shop.json, which `npm run pq:add` builds from ./operations).
 *
 *   VOIDTRACKER_API_KEY=vtk_… npx tsx examples/partner-shop/client.ts [--url http://127.0.0.1:4000/graphql]
 *
 * It prices a delivery, places the order, tracks it, reads its quote once billing has priced it and
 * its invoice (none until delivered), lists the shop's orders and cancels the one it placed,
 * printing each step.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Manifest {
  operations: Array<{ id: string; name: string }>;
}

export interface ShopFlowOptions {
  url: string;
  apiKey: string;
  /** Operation name → id, from the shop's manifest. */
  ids: Record<string, string>;
  log?: (line: string) => void;
  /** How long to wait for billing to price the new order. */
  quoteTimeoutMs?: number;
}

export interface ShopFlowResult {
  orderId: string;
  statusAfterCreate: string;
  tracked: { status: string; history: Array<{ to: string }> };
  quote: { total: string; currency: string; breakdown: Array<{ code: string; amount: string }> };
  invoice: { number: string | null; status: string; total: string; currency: string } | null;
  listed: string[];
  statusAfterCancel: string;
}

export class PartnerRequestError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly errors: Array<{ message: string; extensions?: { code?: string } }>,
  ) {
    super(`${operation}: HTTP ${status} ${errors.map((e) => `${e.extensions?.code ?? ''} ${e.message}`).join('; ')}`);
  }
}

/** The ids of a manifest by operation name. */
export function manifestIds(path: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  return Object.fromEntries(manifest.operations.map((op) => [op.name, op.id]));
}

/** Runs one persisted operation by id: the request carries no query text at all. */
async function run<T>(options: ShopFlowOptions, name: string, variables: Record<string, unknown>): Promise<T> {
  const id = options.ids[name];
  if (!id) throw new Error(`${name} is not in the shop's manifest`);
  const res = await fetch(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': options.apiKey },
    body: JSON.stringify({ operationName: name, variables, extensions: { persistedQuery: { version: 1, sha256Hash: id } } }),
  });
  const body = (await res.json()) as { data?: T; errors?: PartnerRequestError['errors'] };
  if (!res.ok || body.errors?.length || !body.data) throw new PartnerRequestError(name, res.status, body.errors ?? []);
  return body.data;
}

const delivery = {
  pickup: { line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 },
  dropoff: { line1: 'Am Kanal 2', city: 'Potsdam', postalCode: '14467', country: 'DE', lat: 52.3989, lon: 13.0657 },
  parcels: [{ weightKg: 1.2, lengthCm: 30, widthCm: 20, heightCm: 10 }],
};

export async function runShopFlow(options: ShopFlowOptions): Promise<ShopFlowResult> {
  const log = options.log ?? (() => {});
  const price = await run<{ priceQuote: { total: string; currency: string; distanceKm: number } }>(options, 'ShopPriceQuote', {
    input: { parcels: delivery.parcels, pickup: { lat: delivery.pickup.lat, lon: delivery.pickup.lon }, dropoff: { lat: delivery.dropoff.lat, lon: delivery.dropoff.lon } },
  });
  log(`priced      ${price.priceQuote.total} ${price.priceQuote.currency} for ${price.priceQuote.distanceKm} km`);

  const reference = `SHOP-${Date.now().toString(36).toUpperCase()}`;
  const { createOrder } = await run<{ createOrder: { id: string; status: string } }>(options, 'ShopCreateOrder', { input: { reference, ...delivery } });
  log(`ordered     ${createOrder.id} (${reference}) is ${createOrder.status}`);

  const { order: tracked } = await run<{ order: ShopFlowResult['tracked'] & { eta: string | null } }>(options, 'ShopTrackOrder', { id: createOrder.id });
  log(`tracked     ${tracked.status}, eta ${tracked.eta ?? 'not planned yet'}, ${tracked.history.length} change(s)`);

  // Billing prices the order from its creation event, a moment after it exists.
  const deadline = Date.now() + (options.quoteTimeoutMs ?? 15_000);
  let quote: ShopFlowResult['quote'] | null = null;
  while (!quote) {
    quote = (await run<{ order: { quote: ShopFlowResult['quote'] | null } }>(options, 'ShopOrderQuote', { id: createOrder.id })).order.quote;
    if (quote) break;
    if (Date.now() > deadline) throw new Error('the order was not priced in time');
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`quoted      ${quote.total} ${quote.currency}: ${quote.breakdown.map((l) => `${l.code} ${l.amount}`).join(', ')}`);

  const { order: invoiced } = await run<{ order: { invoice: ShopFlowResult['invoice'] } }>(options, 'ShopOrderInvoice', { id: createOrder.id });
  const invoice = invoiced.invoice;
  log(`invoiced    ${invoice ? `${invoice.number ?? 'draft'} ${invoice.status} ${invoice.total} ${invoice.currency}` : 'not yet (an order is invoiced once delivered)'}`);

  const { orders } = await run<{ orders: { edges: Array<{ node: { id: string } }> } }>(options, 'ShopOrders', { first: 10 });
  const listed = orders.edges.map((e) => e.node.id);
  log(`listed      ${listed.length} order(s) of this shop, newest ${listed[0]}`);

  const { cancelOrder } = await run<{ cancelOrder: { status: string } }>(options, 'ShopCancelOrder', { id: createOrder.id, reason: 'Example run' });
  log(`cancelled   ${createOrder.id} is ${cancelOrder.status}`);

  return { orderId: createOrder.id, statusAfterCreate: createOrder.status, tracked, quote, invoice, listed, statusAfterCancel: cancelOrder.status };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--url');
  const url = at > 0 ? process.argv[at + 1]! : (process.env.VOIDTRACKER_URL ?? 'http://127.0.0.1:4000/graphql');
  const apiKey = process.env.VOIDTRACKER_API_KEY;
  if (!apiKey) {
    console.error('Set VOIDTRACKER_API_KEY to a partner key of client "shop" (see docs/partners.md: an ADMIN creates one with createApiKey).');
    process.exit(2);
  }
  const ids = manifestIds(fileURLToPath(new URL('../../persisted-queries/shop.json', import.meta.url)));
  runShopFlow({ url, apiKey, ids, log: (line) => console.log(line) }).then(
    () => console.log('done: every request carried only a persisted-query id'),
    (error: unknown) => {
      console.error(`failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
