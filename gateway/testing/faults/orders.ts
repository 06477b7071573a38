/** Drives the orders subgraph like a set of concurrent clients and remembers what each order must emit. */
import { OrderCancelled, OrderCreated, OrderStatusChanged } from '../../../subgraphs/orders/events/contracts.ts';
import { orderInput, type TestGraph } from '../harness.ts';

const CREATE = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }';
const CANCEL = 'mutation($id: ID!) { cancelOrder(id: $id, reason: "fault test") { status } }';

export const CREATED_ONLY = [OrderCreated.type] as const;
export const CREATED_THEN_CANCELLED = [OrderCreated.type, OrderCancelled.type, OrderStatusChanged.type] as const;

export interface BurstOptions {
  orders: number;
  /** Concurrent clients. Default 8. */
  concurrency?: number;
  /** Every n-th order is cancelled right after it was created (0: none). Default 0. */
  cancelEvery?: number;
  /** The endpoint (the gateway by default; the orders subgraph's URL is fine too). */
  url?: string;
  /** Called after each order is done (progress, injecting a fault mid-burst). */
  onOrder?(done: number): void | Promise<void>;
}

/** Creates (and cancels some of) `orders` orders; returns, per order id, the event types it must emit. */
export async function orderBurst(g: TestGraph, token: string, options: BurstOptions): Promise<Map<string, readonly string[]>> {
  const expected = new Map<string, readonly string[]>();
  const concurrency = Math.max(1, options.concurrency ?? 8);
  let next = 0;
  let done = 0;
  const client = async () => {
    for (;;) {
      const n = next++;
      if (n >= options.orders) return;
      const created = await g.gql<{ createOrder: { id: string } }>(CREATE, { input: orderInput() }, token, options.url);
      const id = created.data?.createOrder?.id;
      if (!id) throw new Error(`createOrder failed: ${JSON.stringify(created.errors)}`);
      const cancel = !!options.cancelEvery && n % options.cancelEvery === 0;
      if (cancel) {
        const cancelled = await g.gql(CANCEL, { id }, token, options.url);
        if (cancelled.errors?.length) throw new Error(`cancelOrder failed: ${JSON.stringify(cancelled.errors)}`);
      }
      expected.set(id, cancel ? CREATED_THEN_CANCELLED : CREATED_ONLY);
      await options.onOrder?.(++done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return expected;
}

/** The orders subgraph's own GraphQL endpoint in a running graph. */
export function ordersUrl(g: TestGraph): string {
  const orders = g.graph.subgraphs.find((s) => s.name === 'orders');
  if (!orders) throw new Error('the graph runs no orders subgraph');
  return orders.url;
}
