import { ANALYTICS_CONSUMES } from '../domain/facts.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { OrganizationCreated } from '../../iam/events/contracts.ts';
import { projectingConsumer, projectionRoute } from './consume.ts';

/** What analytics reads from iam (domain/facts.ts says what each event sets). */
export const ANALYTICS_CONSUMES_IAM = ANALYTICS_CONSUMES.iam;
export const IAM_TOPIC = OrganizationCreated.topic;

export const iamRoute = projectionRoute(ANALYTICS_CONSUMES_IAM);
export const iamConsumer = (db: PrismaClient) => projectingConsumer(db, iamRoute);
