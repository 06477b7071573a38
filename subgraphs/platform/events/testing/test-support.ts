/** Helpers shared by the events tests (not used at run time). */
import { z } from 'zod';
import { defineEvent } from '../contract.ts';

export const ORG = '0190a0b0-0000-7000-8000-000000000001';

export const OrderCreated = defineEvent({
  type: 'voidtracker.orders.order.created.v1',
  producer: 'orders',
  aggregate: 'Order',
  description: 'A customer placed a delivery order.',
  schema: z.object({
    orderId: z.string(),
    seq: z.number().int(),
    reference: z.string().optional(),
  }),
});

export const OrderCancelled = defineEvent({
  type: 'voidtracker.orders.order.cancelled.v1',
  producer: 'orders',
  aggregate: 'Order',
  description: 'The order was cancelled before delivery.',
  schema: z.object({ orderId: z.string(), reason: z.string().nullable() }),
});

/** Polls until `check` returns a value other than undefined/false, or fails with `what`. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const runId = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

