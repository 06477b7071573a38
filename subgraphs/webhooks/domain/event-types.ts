import { BILLING_EVENTS } from '../../billing/events/contracts.ts';
import { IAM_EVENTS } from '../../iam/events/contracts.ts';
import type { AnyEventContract } from '../../platform/events/contract.ts';
import { ORDERS_EVENTS } from '../../orders/events/contracts.ts';
import { PLANNING_EVENTS } from '../../planning/events/contracts.ts';
import type { WebhookScope } from './access.ts';

/**
 * What an endpoint can subscribe to: every domain event of the contracts. Not the
 * `mutation.executed` records, which are the audit log's raw material (arguments, actors), not
 * facts about the business.
 */
export const WEBHOOK_EVENTS: readonly AnyEventContract[] = [...IAM_EVENTS, ...ORDERS_EVENTS, ...PLANNING_EVENTS, ...BILLING_EVENTS];
export const WEBHOOK_EVENT_TYPES: readonly string[] = WEBHOOK_EVENTS.map((c) => c.type).sort();
export const WEBHOOK_TOPICS: readonly string[] = [...new Set(WEBHOOK_EVENTS.map((c) => c.topic))].sort();

/** Events whose subject is an order id: the only ones a partner's (OWN_ORDERS) endpoint can receive. */
export const ORDER_EVENT_TYPES: readonly string[] = ORDERS_EVENTS.map((c) => c.type).sort();

export const MAX_EVENT_TYPES = 50;

export type EventTypesCheck = { ok: true; types: string[] } | { ok: false; index: number | undefined; reason: string };

/** At least one, each a known type (partners: an order type), duplicates dropped. */
export function checkEventTypes(types: readonly string[], scope: WebhookScope): EventTypesCheck {
  if (!types.length) return { ok: false, index: undefined, reason: 'name at least one event type' };
  if (types.length > MAX_EVENT_TYPES) return { ok: false, index: undefined, reason: `at most ${MAX_EVENT_TYPES} event types` };
  const allowed = scope === 'ORGANIZATION' ? WEBHOOK_EVENT_TYPES : ORDER_EVENT_TYPES;
  for (const [index, type] of types.entries()) {
    if (!WEBHOOK_EVENT_TYPES.includes(type)) return { ok: false, index, reason: `unknown event type "${type}" (see webhookEventTypes)` };
    if (!allowed.includes(type)) return { ok: false, index, reason: `"${type}" is not about your own orders; a partner's endpoint receives order events only` };
  }
  return { ok: true, types: [...new Set(types)] };
}
