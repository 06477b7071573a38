import { ANALYTICS_CONSUMES } from '../domain/facts.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { QuoteCalculated } from '../../billing/events/contracts.ts';
import { projectingConsumer, projectionRoute } from './consume.ts';

/** What analytics reads from billing (domain/facts.ts says what each event sets). */
export const ANALYTICS_CONSUMES_BILLING = ANALYTICS_CONSUMES.billing;
export const BILLING_TOPIC = QuoteCalculated.topic;

export const billingRoute = projectionRoute(ANALYTICS_CONSUMES_BILLING);
export const billingConsumer = (db: PrismaClient) => projectingConsumer(db, billingRoute);
