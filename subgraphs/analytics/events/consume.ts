import type { AnyEventContract } from '../../platform/events/contract.ts';
import { on, prismaSqlTransactions, runConsumer, type EventConsumer, type EventRoute } from '../../platform/events/consumer.ts';
import type { SqlExecutor } from '../../platform/events/sql.ts';
import { factsOf, type AnalyticsEvent } from '../domain/facts.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { applyFacts, recordEvent } from '../services/projector.ts';

export const CONSUMER = 'analytics';

type Tx = SqlExecutor;

/**
 * Each event analytics knows is logged as published and applied to the read models, in the
 * kernel's transaction with its inbox row, so a redelivery changes nothing. Types it does not read
 * never get here; a payload that breaks its contract is retried, then dead-lettered.
 */
export const projectionRoute = (contracts: readonly AnyEventContract[]): EventRoute<Tx> =>
  on(contracts, async (event, sql: Tx, { topic, envelope }) => {
    await recordEvent(sql, topic, envelope);
    await applyFacts(sql, factsOf(event as AnalyticsEvent));
  });

/** The analytics consumer group over the given routes. */
export const analyticsConsumer = (routes: readonly EventRoute<Tx>[]): EventConsumer<Tx> => ({
  name: CONSUMER,
  routes,
  store: 'sql',
  // Figures by day, week and month: half a second behind changes no chart, and each fetch brings many events.
  gatherMs: 500,
});

/** One topic's projection as a per-event handler (replays, tests and the benchmark feed it directly). */
export const projectingConsumer = (db: PrismaClient, route: EventRoute<Tx>) => runConsumer(prismaSqlTransactions(db), analyticsConsumer([route])).handle;
