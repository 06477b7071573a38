import { ANALYTICS_CONSUMES } from '../domain/facts.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { RoutePlanned } from '../../planning/events/contracts.ts';
import { projectingConsumer, projectionRoute } from './consume.ts';

/** What analytics reads from planning (domain/facts.ts says what each event sets). */
export const ANALYTICS_CONSUMES_PLANNING = ANALYTICS_CONSUMES.planning;
export const PLANNING_TOPIC = RoutePlanned.topic;

export const planningRoute = projectionRoute(ANALYTICS_CONSUMES_PLANNING);
export const planningConsumer = (db: PrismaClient) => projectingConsumer(db, planningRoute);
