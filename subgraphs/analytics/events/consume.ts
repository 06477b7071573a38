import type { AnyEventContract } from '../../platform/events/contract.ts';
import { on, runConsumer, type EventConsumer, type EventRoute } from '../../platform/events/consumer.ts';
import { prismaSql } from '../../platform/events/sql.ts';
import { factsOf, type AnalyticsEvent } from '../domain/facts.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { applyFacts, recordEvent } from '../services/projector.ts';

export const CONSUMER = 'analytics';

type Tx = Prisma.TransactionClient;

/**
 * Each event analytics knows is logged as published and applied to the read models, in the
 * kernel's transaction with its inbox row, so a redelivery changes nothing. Types it does not read
 * never get here; a payload that breaks its contract is retried, then dead-lettered.
 */
export const projectionRoute = (contracts: readonly AnyEventContract[]): EventRoute<Tx> =>
  on(contracts, async (event, tx: Tx, { topic, envelope }) => {
    const sql = prismaSql(tx);
    await recordEvent(sql, topic, envelope);
    await applyFacts(sql, factsOf(event as AnalyticsEvent));
  });

/** The analytics consumer group over the given routes. */
export const analyticsConsumer = (routes: readonly EventRoute<Tx>[]): EventConsumer<Tx> => ({ name: CONSUMER, routes });

/** One topic's projection as a per-event handler (replays, tests and the benchmark feed it directly). */
export const projectingConsumer = (db: PrismaClient, route: EventRoute<Tx>) => runConsumer(db, analyticsConsumer([route])).handle;
