import { ANALYTICS_CONSUMES } from '../domain/facts.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { OrderCreated } from '../../orders/events/contracts.ts';
import { projectingConsumer, projectionRoute } from './consume.ts';

/** What analytics reads from orders (domain/facts.ts says what each event sets). */
export const ANALYTICS_CONSUMES_ORDERS = ANALYTICS_CONSUMES.orders;
export const ORDERS_TOPIC = OrderCreated.topic;

export const ordersRoute = projectionRoute(ANALYTICS_CONSUMES_ORDERS);
export const ordersConsumer = (db: PrismaClient) => projectingConsumer(db, ordersRoute);
