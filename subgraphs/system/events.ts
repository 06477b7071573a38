import { ANALYTICS_CONSUMES } from '../analytics/domain/facts.ts';
import { AUDIT_CONSUMES } from '../audit/events/audit-consumer.ts';
import { BILLING_EVENTS } from '../billing/events/contracts.ts';
import { BILLING_CONSUMES_IAM } from '../billing/events/iam-consumer.ts';
import { BILLING_CONSUMES_ORDERS } from '../billing/events/orders-consumer.ts';
import { BILLING_CONSUMES_PLANNING } from '../billing/events/planning-consumer.ts';
import type { ConsumerRegistration } from '../platform/events/contract.ts';
import { IAM_EVENTS } from '../iam/events/contracts.ts';
import { MUTATION_EVENTS } from '../kernel/audit/mutation-contract.ts';
import { ORDERS_EVENTS } from '../orders/events/contracts.ts';
import { ORDERS_CONSUMES } from '../orders/events/planning-consumer.ts';
import { PLANNING_EVENTS } from '../planning/events/contracts.ts';
import { PLANNING_CONSUMES_IAM } from '../planning/events/iam-consumer.ts';
import { PLANNING_CONSUMES_ORDERS } from '../planning/events/orders-consumer.ts';
import { WEBHOOKS_CONSUMES } from '../webhooks/events/webhooks-consumer.ts';

/** Every event contract of the graph, by producer. */
export const EVENT_CONTRACTS = [...IAM_EVENTS, ...ORDERS_EVENTS, ...PLANNING_EVENTS, ...BILLING_EVENTS, ...MUTATION_EVENTS];

/** Who consumes what, as the consumers themselves declare it. */
export const EVENT_CONSUMERS: ConsumerRegistration[] = [
  { consumer: 'orders', events: ORDERS_CONSUMES },
  { consumer: 'planning', events: [...PLANNING_CONSUMES_ORDERS, ...PLANNING_CONSUMES_IAM] },
  { consumer: 'billing', events: [...BILLING_CONSUMES_ORDERS, ...BILLING_CONSUMES_PLANNING, ...BILLING_CONSUMES_IAM] },
  { consumer: 'audit', events: AUDIT_CONSUMES },
  { consumer: 'analytics', events: Object.values(ANALYTICS_CONSUMES).flat() },
  { consumer: 'webhooks', events: [...WEBHOOKS_CONSUMES] },
];
