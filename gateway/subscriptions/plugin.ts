import type { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { Registry } from 'prom-client';
import type { Config } from '../../subgraphs/platform/config.ts';
import type { EventTransport, Subscription } from '../../subgraphs/platform/events/transport.ts';
import type { Handler } from '../../subgraphs/platform/http/server.ts';
import type { Logger } from '../../subgraphs/platform/logger.ts';
import type { GatewayContext } from '../context.ts';
import { createDenyList } from '../../subgraphs/kernel/auth/deny-list.ts';
import { followDenyList } from '../../subgraphs/kernel/auth/deny-list-feed.ts';
import type { Principal } from './authenticate.ts';
import { apolloExecutor } from './executor.ts';
import { liveFeed } from './feed.ts';
import { LiveHub } from './hub.ts';
import { liveMetrics } from './metrics.ts';
import { tokenRevoked, tokenRevokedError } from './revocation.ts';
import { liveSession } from './session.ts';
import { sseHandler } from './sse.ts';
import { wsServer } from './ws.ts';
import type { RateLimiter } from '../token-buckets.ts';
import { createEventTransport } from '../../subgraphs/platform/events/runtime.ts';
import { sendJson } from '../../subgraphs/platform/http/server.ts';
import { definePlugin, type EdgeServices, type StartedGraph } from '../plugins/types.ts';
import { LIVE_CODES } from './errors.ts';
import { introspectLiveSchema } from './introspection.ts';
import { refuseSubscriptionsOverHttp } from './validation.ts';

export const STREAM_PATH = '/graphql/stream';

export interface LiveSubscriptions {
  /** `/graphql/stream` (SSE). */
  routes: Record<string, Handler>;
  /** WebSocket upgrades of `/graphql` (graphql-ws). */
  upgrade: NonNullable<Parameters<typeof import('../../subgraphs/platform/http/server.ts').startHttpServer>[0]['upgrade']>;
  hub: LiveHub;
  /** Ends every stream and leaves the event feed; call before the HTTP server closes. */
  close(): Promise<void>;
}

/** Subscriptions beside Apollo: the event feed, the hub that runs pushes as queries, and both transports. */
export async function startLiveSubscriptions(options: {
  config: Config;
  apollo: ApolloServer<GatewayContext>;
  apiSchema: () => GraphQLSchema;
  transport: EventTransport;
  logger: Logger;
  registry?: Registry;
  /** The edge's rate limit, for WebSocket upgrades and messages (SSE requests pass the HTTP edge). */
  rateLimit?: RateLimiter | undefined;
  /** Trusted documents: whether a subscription's text is safelisted (the edge's, in safelist mode). */
  trusted?: ((query: string) => boolean) | undefined;
}): Promise<LiveSubscriptions> {
  const { config, logger } = options;
  const g = config.gateway;
  const execute = apolloExecutor(options.apollo);
  // The feed reads the domain events only while a subscription is open (an idle gateway consumes nothing).
  const feed = liveFeed(options.transport, (envelope) => hub.dispatch(envelope), logger);
  const hub = new LiveHub({
    execute,
    logger,
    maxPerUser: g.live.perUser,
    onDemand: (open) => feed.want(open),
    ...(options.registry ? { metrics: liveMetrics(options.registry) } : {}),
  });
  // The deny-list every subgraph honours: a revoked token opens no stream, and its open ones end.
  const accessTtlSeconds = config.jwt.accessTtlSeconds;
  const denyList = createDenyList({ accessTtlSeconds });
  const revoked = (principal: Principal) => tokenRevoked(denyList, principal);
  denyList.onDeny((userId) => hub.endWhere((p) => p.userId === userId && revoked(p), [tokenRevokedError().toJSON()]));
  const limits = { maxTokens: g.limits.maxTokens, maxDocumentBytes: g.maxDocumentBytes };
  const session = liveSession({ hub, execute, apiSchema: options.apiSchema, limits, revoked, feedReady: () => feed.ready(), ...(options.trusted ? { trusted: options.trusted } : {}) });
  const keepAliveSeconds = g.subscriptions.keepAliveSeconds;
  const ws = wsServer({
    session,
    apiSchema: options.apiSchema,
    path: '/graphql',
    keepAliveSeconds,
    logger,
    maxPayloadBytes: g.live.wsMaxPayloadBytes,
    maxPerConnection: g.live.perConnection,
    origins: g.corsOrigins,
    rateLimit: options.rateLimit,
  });
  let denials: Subscription | undefined;
  try {
    denials = await followDenyList(options.transport, denyList, { component: 'gateway', accessTtlSeconds, logger });
  } catch (error) {
    await ws.close();
    await denials?.close();
    throw error;
  }
  return {
    routes: { [STREAM_PATH]: sseHandler({ session, maxBodyBytes: config.gateway.maxBodyBytes, keepAliveSeconds }) },
    upgrade: ws.upgrade,
    hub,
    close: async () => {
      hub.close();
      await ws.close();
      await feed.close();
      await denials?.close();
    },
  };
}

/** The stream route while subscriptions are off: a clear refusal rather than a bare 404. */
const subscriptionsOff: Handler = (_req, res) =>
  sendJson(res, LIVE_CODES.disabled.status, {
    errors: [{ message: 'Subscriptions are turned off on this gateway (GATEWAY_SUBSCRIPTIONS, or no Kafka for a gateway of its own).', extensions: { code: LIVE_CODES.disabled.code } }],
  });

/**
 * Subscriptions, when on and fed: the embedded graph hands its transport over; a gateway of its
 * own process joins Kafka itself (the bus of another process cannot reach it).
 */
async function startLive(services: EdgeServices, graph: StartedGraph): Promise<{ subscriptions: LiveSubscriptions; close(): Promise<void> } | undefined> {
  const { config, logger, transport: shared } = services;
  if (!config.gateway.subscriptions.enabled) return undefined;
  if (!shared && config.events.transport !== 'kafka') {
    logger.warn('subscriptions off: a gateway in its own process needs Kafka (KAFKA_BROKERS) to hear domain events');
    return undefined;
  }
  const own = shared ? undefined : await createEventTransport(config, logger, 'gateway');
  try {
    const subscriptions = await startLiveSubscriptions({
      config,
      apollo: graph.apollo,
      apiSchema: graph.apiSchema,
      transport: (shared ?? own)!,
      logger,
      rateLimit: services.handoff.rateLimit,
      trusted: services.handoff.trustedDocument,
      ...(services.metrics ? { registry: services.metrics.registry } : {}),
    });
    return {
      subscriptions,
      close: async () => {
        await subscriptions.close();
        await own?.close();
      },
    };
  } catch (error) {
    await own?.close();
    throw error;
  }
}

/**
 * Last: it runs each push as a query through everything before it. Its stream route passes the
 * plugins marked `stream` (CORS, the rate limit), not partner keys: the stream refuses keys itself.
 * On /graphql a subscription is refused with SUBSCRIPTION_NOT_OVER_HTTP, whether or not they are on.
 */
export const subscriptionsPlugin = definePlugin({
  name: 'subscriptions',
  description: 'Validation, GraphQL, the stream route and WebSocket upgrades: live subscriptions over SSE and graphql-ws, each push run as a query through everything before it (docs/subscriptions.md). On with `GATEWAY_SUBSCRIPTIONS` (and Kafka or an embedded bus).',
  codes: [...new Set(Object.values(LIVE_CODES).map((c) => c.code))],
  stream: false,
  create: (services) => {
    let graph: StartedGraph | undefined;
    let live: Awaited<ReturnType<typeof startLive>>;
    const schema = () => graph!.apiSchema();
    return {
      name: 'subscriptions',
      validationRules: [refuseSubscriptionsOverHttp(STREAM_PATH)],
      // Introspection shows the Subscription type the gateway serves beside the graph.
      ...(services.config.gateway.subscriptions.enabled ? { apollo: introspectLiveSchema(schema) } : {}),
      streamRoutes: { [STREAM_PATH]: (req, res) => (live ? live.subscriptions.routes[STREAM_PATH]!(req, res) : subscriptionsOff(req, res)) },
      start: async (started) => {
        graph = started;
        live = await startLive(services, started);
      },
      upgrade: () => live?.subscriptions.upgrade,
      // Open streams would hold the HTTP server's close for the whole grace period.
      stop: async () => {
        await live?.close();
      },
    };
  },
});
