import type { ConsumerRegistration } from './kernel/events/contract.ts';
import { IAM_EVENTS } from './iam/events/contracts.ts';
import { ORDERS_EVENTS } from './orders/events/contracts.ts';
import { ORDERS_CONSUMES } from './orders/events/planning-consumer.ts';
import { PLANNING_EVENTS } from './planning/events/contracts.ts';

/** Every event contract of the graph, by producer (planning's producer is not built yet). */
export const EVENT_CONTRACTS = [...IAM_EVENTS, ...ORDERS_EVENTS, ...PLANNING_EVENTS];

/** Who consumes what, as the consumers themselves declare it. */
export const EVENT_CONSUMERS: ConsumerRegistration[] = [{ consumer: 'orders', events: ORDERS_CONSUMES }];
