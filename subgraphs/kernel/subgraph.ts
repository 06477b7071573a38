import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { GraphQLSchema } from 'graphql';
import { createDenyList, denyingVerifier } from './auth/deny-list.ts';
import { followDenyList } from './auth/deny-list-feed.ts';
import { createTokenVerifier, type TokenVerifier } from './auth/verifier.ts';
import { guardMetrics } from './http/metrics-access.ts';
import { hideServiceSdl } from './service-sdl.ts';
import type { SubgraphContext } from './builder.ts';
import { databaseFor, parseSlice, type Config, type ConfigSlice, type Domain } from '../platform/config.ts';
import { admissionMetrics, admitDatabaseWrites, admitWrites, createWriteAdmission, inRequestScope } from '../platform/db/admission.ts';
import { openDatabase, type Database } from '../platform/db/database.ts';
import { applyMigrations, pendingMigrations, readMigrations } from '../platform/db/migrate.ts';
import { formatError } from '../platform/errors.ts';
import { graphqlHandler } from './http/graphql-handler.ts';
import { healthRoutes, sendJson, startHttpServer, type Handler } from '../platform/http/server.ts';
import type { Logger } from '../platform/logger.ts';
import { startOutboxRelay, type OutboxRelay } from '../platform/events/outbox.ts';
import { wakeRelaysAfterRequest } from '../platform/events/unit-of-work.ts';
import { startEventRetention } from '../platform/events/retention.ts';
import { createEventTransport } from '../platform/events/runtime.ts';
import { eventMetricsRoute } from '../platform/events/prometheus.ts';
import type { EventTransport, Subscription } from '../platform/events/transport.ts';
import { prismaTransactions, runConsumer, sqlTransactions, topicsOf, type EventConsumer, type TransactionalDb } from '../platform/events/consumer.ts';
import type { PrismaRawClient } from '../platform/events/sql.ts';
import { requestContext } from './context.ts';
import { setCurrentActor, withActorScope } from '../platform/events/actor.ts';
import { subgraphRequestMetrics } from '../platform/telemetry/request-metrics.ts';
import { auditMutations } from './audit/plugin.ts';
import { internalErrors } from '../platform/internal-errors.ts';
import { refuseNulInput } from './validation.ts';

export interface PrismaLike {
  $disconnect(): Promise<void>;
}

export interface SubgraphDeps<Db, Settings = undefined> {
  config: Config;
  /** This domain's own settings: its definition's config slice, parsed at start. */
  settings: Settings;
  db: Db;
  database: Database;
  logger: Logger;
  events: {
    transport: EventTransport;
    /** Publishes this domain's outbox; call notify() after a commit that wrote to it. */
    outbox: OutboxRelay;
  };
}


/**
 * Everything that makes one domain a subgraph; each domain's server.ts exports one. A domain with
 * settings of its own declares their slice (`config`, from its config.ts); the kernel parses it once
 * at start, before anything opens, and hands the settings to `services` as `deps.settings`.
 */
export type SubgraphDefinition<Db extends PrismaLike, Services, Settings = undefined> = SubgraphParts<Db, Services, Settings> &
  (undefined extends Settings ? { config?: ConfigSlice<Settings> } : { config: ConfigSlice<Settings> });

interface SubgraphParts<Db extends PrismaLike, Services, Settings> {
  name: Domain;
  /**
   * The port it listens on unless `<NAME>_PORT` says otherwise. The registry of domains writes it
   * into the platform's default ports and the deployment files (`npm run registry`).
   */
  port: number;
  /** Prisma's migrations folder for this domain. */
  migrationsDir: string;
  createClient(adapter: SqlMigrationAwareDriverAdapterFactory): Db;
  schema(): GraphQLSchema;
  /** Long-lived resources the resolvers use (keys, clocks, publishers), built once at start. */
  services(deps: SubgraphDeps<Db, Settings>): Promise<Services>;
  /** Extra HTTP routes (iam's JWKS). */
  routes?(services: Services): Record<string, Handler>;
  /** How this subgraph verifies tokens; by default, against iam's JWKS over HTTP. */
  verifier?(services: Services, config: Config): TokenVerifier;
  /**
   * What this domain consumes from the others: the kernel runs each (events/consumer.ts) in its
   * group, one transaction per batch, and wakes the outbox relay after each commit.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  consumers?(deps: SubgraphDeps<Db, Settings>, services: Services): EventConsumer<any>[];
  /** More facts for /health/ready's body (billing: active rate cards); throwing makes it not ready. */
  readiness?(services: Services): Promise<Record<string, unknown>>;
  /** The domain's own Prometheus text, appended to /metrics after the event metrics. */
  metrics?(services: Services): Promise<string> | string;
  /** Demo data for the embedded/dev mode; idempotent. */
  seed?(deps: SubgraphDeps<Db, Settings>, services: Services): Promise<void>;
  closeServices?(services: Services): Promise<void>;
}

/** A registry holds domains with different clients and services side by side. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySubgraphDefinition = SubgraphDefinition<any, any, any>;

/** A definition's own settings under this configuration (undefined without a slice); a bad value throws ConfigError naming it. */
export function settingsOf<Settings>(def: { config?: ConfigSlice<Settings> }, config: Config): Settings {
  return def.config ? parseSlice(def.config, config.environment) : (undefined as Settings);
}

export interface RunningSubgraph {
  name: Domain;
  /** The subgraph's GraphQL endpoint. */
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function startSubgraph<Db extends PrismaLike, Services, Settings>(
  def: SubgraphDefinition<Db, Services, Settings>,
  config: Config,
  rootLogger: Logger,
  options: { port?: number; transport?: EventTransport } = {},
): Promise<RunningSubgraph> {
  // Before anything opens: a bad value of the domain's own variables stops the start, naming it.
  const settings = settingsOf<Settings>(def, config);
  const logger = rootLogger.child({ subgraph: def.name });
  const database = await openDatabase(databaseFor(config, def.name));
  const migrations = await readMigrations(def.migrationsDir);
  const applied = await applyMigrations(database, migrations);
  if (applied.length) logger.info('migrations applied', { applied });
  // Requests' write transactions are bounded; under overload they are refused as SERVICE_OVERLOADED, never left to time out.
  const admission = createWriteAdmission(config.writes);
  const db = admitWrites(def.createClient(database.adapter), admission, config.writes.retryAfterSeconds);
  // A shared transport (the embedded graph's one bus) belongs to whoever passed it in.
  const transport = options.transport ?? (await createEventTransport(config, logger, def.name));
  const outbox = startOutboxRelay({ database, transport, logger });
  // Published outbox rows and old inbox rows go hourly, so neither table grows without bound.
  const retention = startEventRetention({ database, settings: config.events, logger: logger.child({ component: 'event-retention' }) });
  const deps: SubgraphDeps<Db, Settings> = { config, settings, db, database: admitDatabaseWrites(database, admission), logger, events: { transport, outbox } };
  const services = await def.services(deps);
  if (config.seedDemo && def.seed) await def.seed(deps, services);
  outbox.notify();
  const subscriptions: Subscription[] = [];
  const consumers = def.consumers?.(deps, services) ?? [];
  for (const consumer of consumers) {
    const transactions = consumer.store === 'sql' ? sqlTransactions(database) : prismaTransactions(db as unknown as TransactionalDb<PrismaRawClient>);
    // An ORM consumer's routes may have a plain SQL hot path (`on(…, { sql })`), on the same database.
    const running = runConsumer(transactions, consumer, { onCommit: () => outbox.notify(), ...(consumer.store === 'sql' ? {} : { sql: sqlTransactions(database) }) });
    subscriptions.push(
      await transport.subscribe({
        group: running.name,
        topics: running.topics,
        handle: running.handle,
        handleBatch: running.handleBatch,
        ...(running.accepts ? { accepts: running.accepts } : {}),
        ...(consumer.gatherMs ? { gatherMs: consumer.gatherMs } : {}),
        maxAttempts: config.events.maxAttempts,
      }),
    );
  }

  // A demotion or deactivation refuses the tokens issued before it, here as in every process.
  const denyList = createDenyList({ accessTtlSeconds: config.jwt.accessTtlSeconds });
  subscriptions.push(await followDenyList(transport, denyList, { component: def.name, accessTtlSeconds: config.jwt.accessTtlSeconds, logger }));
  const verify = denyingVerifier(
    def.verifier?.(services, config) ??
      createTokenVerifier({ issuer: config.jwt.issuer, audience: config.jwt.audience, jwksUrl: config.jwt.jwksUrl }),
    denyList,
  );
  const production = config.env === 'production';
  const requestMetrics = subgraphRequestMetrics(def.name);
  const apollo = new ApolloServer<SubgraphContext<Db, Services>>({
    schema: def.schema(),
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // The process drains itself (kernel/main.ts onShutdown): Apollo's own handler would re-raise the
    // signal after stopping only itself, killing the process before the databases close.
    stopOnTerminationSignals: false,
    ...(config.exposure.serviceSdl ? {} : { validationRules: [hideServiceSdl] }),
    formatError: (formatted, original) => formatError(formatted, { production, original }),
    // Inline tracing only feeds Apollo's hosted studio, which this graph does not report to.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      // Every mutation leaves a record on this domain's topic for the audit log.
      auditMutations({ domain: def.name, database, outbox, logger }),
      requestMetrics.plugin,
      internalErrors({ production, logger }),
      refuseNulInput(),
    ],
  });
  await apollo.start();

  const context = async (req: IncomingMessage): Promise<SubgraphContext<Db, Services>> => {
    const ctx = await requestContext(req, { verify, db, logger });
    // The events this request's commands create name its caller (docs/events.md, actor).
    if (ctx.principal) setCurrentActor({ userId: ctx.principal.userId, roles: ctx.principal.roles });
    return { ...ctx, services };
  };
  const handler = graphqlHandler(apollo, context, { maxBodyBytes: MAX_BODY_BYTES });
  // The relays a request's commits wake are woken when it ends: its events and its audit record leave together.
  const graphql: Handler = (req, res) => withActorScope(() => inRequestScope(() => wakeRelaysAfterRequest(() => handler(req, res))));
  const http = await startHttpServer({
    host: config.host,
    port: options.port ?? config.ports[def.name],
    logger,
    graceMs: config.shutdownGraceMs,
    drainDelayMs: config.shutdownDrainDelayMs,
    component: def.name,
    routes: {
      ...healthRoutes(async () => {
        await database.query('SELECT 1');
        const pending = await pendingMigrations(database, migrations);
        if (pending.length) throw new Error(`migrations pending: ${pending.join(', ')}`);
        return { migrations: migrations.length, ...(await def.readiness?.(services)) };
      }),
      ...def.routes?.(services),
      '/metrics': guardMetrics(
        eventMetricsRoute(
          def.name,
          { transport, outbox, groups: Object.fromEntries(consumers.map((c) => [c.name, topicsOf(c)])) },
          async () => `${await requestMetrics.text()}${admissionMetrics(def.name, admission)}${(await def.metrics?.(services)) ?? ''}`,
        ),
        config.exposure,
      ),
      '/graphql': graphql,
    },
    fallback: (_req, res) => sendJson(res, 404, { error: 'not found' }),
  });
  logger.info('subgraph listening', { url: `${http.url}/graphql`, database: database.kind });

  return {
    name: def.name,
    url: `${http.url}/graphql`,
    close: async () => {
      await http.close();
      await apollo.stop();
      for (const subscription of subscriptions) await subscription.close();
      retention.close();
      await outbox.close();
      await def.closeServices?.(services);
      if (!options.transport) await transport.close();
      await db.$disconnect();
      await database.close();
    },
  };
}
