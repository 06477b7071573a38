import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApolloServer, ApolloServerOptionsWithGateway, ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema, ValidationRule } from 'graphql';
import type { Config, ConfigSlice } from '../../subgraphs/platform/config.ts';
import type { EventTransport } from '../../subgraphs/platform/events/transport.ts';
import type { Handler } from '../../subgraphs/platform/http/server.ts';
import type { Logger } from '../../subgraphs/platform/logger.ts';
import type { TokenVerifier } from '../../subgraphs/kernel/auth/verifier.ts';
import type { Redis } from 'ioredis';
import type { GatewayContext } from '../context.ts';
import type { GatewayMetrics } from '../metrics-registry.ts';
import type { BucketOptions, RateLimiter, TokenBucketStore } from '../token-buckets.ts';

/**
 * One edge feature. A feature hooks in where it needs to: Apollo's request pipeline (after the
 * body is parsed), the HTTP handler of the GraphQL endpoint (before anything is read), routes of
 * its own, or Apollo Server options.
 */
export interface GatewayPlugin {
  name: string;
  apollo?: ApolloServerPlugin<GatewayContext>;
  /** Wraps the GraphQL endpoint's handler; the first plugin's wrapper runs first. */
  http?: (next: Handler) => Handler;
  routes?: Record<string, Handler>;
  serverOptions?: Partial<Pick<ApolloServerOptionsWithGateway<GatewayContext>, 'persistedQueries'>>;
  /** Looks at the request's operations as read, before Apollo parses anything; an answer refuses the request. */
  inspect?(request: { method: string; body: unknown; search: URLSearchParams }): { status: number; body: unknown } | undefined;
  /** Adds to the request's context what the feature learnt from the raw request. */
  context?(req: IncomingMessage): Partial<GatewayContext>;
  /** Extra validation of every operation Apollo runs. */
  validationRules?: ValidationRule[];
  /** Routes of its own that pass the HTTP parts of the plugins marked `stream` (the subscription stream). */
  streamRoutes?: Record<string, Handler>;
  /** Once Apollo has started, before the HTTP server listens: what needs the running graph. */
  start?(graph: StartedGraph): Promise<void>;
  /** WebSocket upgrades it takes (asked once started). */
  upgrade?(): UpgradeHandler | undefined;
  /** Before the HTTP server closes: ends long-lived streams, which would hold its close. */
  stop?(): Promise<void>;
  /** Releases what the plugin holds (connections, timers), once nothing runs any more. */
  close?(): Promise<void>;
}

/** Takes a connection that asks to switch protocol (platform/http/server.ts). */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** What a plugin's start is given: the gateway's Apollo Server and its API schema as loaded. */
export interface StartedGraph {
  apollo: ApolloServer<GatewayContext>;
  apiSchema: () => GraphQLSchema;
}

/**
 * What every plugin may use, made once per gateway (gateway/edge.ts). Identity is not here: it
 * travels with the request, in its credentials (gateway/credentials.ts).
 */
export interface EdgeServices {
  config: Config;
  logger: Logger;
  /** Where the subgraphs are reached (the embedded graph's own ports, else the configuration's). */
  urls: Record<string, string>;
  /** The embedded graph's event transport, when it hands one over. */
  transport: EventTransport | undefined;
  /** Shared state of several gateways (REDIS_URL); undefined: each keeps its own. */
  redis: Redis | undefined;
  /** A token-bucket store under a key prefix of its own, in Redis when it is configured. */
  buckets(options: BucketOptions, name: string): TokenBucketStore;
  /** Verifies access tokens against iam's JWKS, as every subgraph does. */
  verify: TokenVerifier;
  /** Prometheus metrics (GATEWAY_METRICS); undefined: off. */
  metrics: GatewayMetrics | undefined;
  /** The request rate limit's buckets (undefined: off); partner-keys charges keys nobody verified yet to them. */
  requestBuckets: TokenBucketStore | undefined;
  /**
   * What one plugin hands to a later one: the rate limit's limiter and the trusted-documents check,
   * both for the live transports. Never identity: that is in the request's credentials.
   */
  handoff: {
    rateLimit?: RateLimiter;
    trustedDocument?: (query: string) => boolean;
  };
}

/** One stage of the pipeline as gateway/pipeline.ts lists it. */
export interface PluginDefinition<Settings = undefined> {
  name: string;
  /** What it does, and when the configuration turns it on: docs/gateway.md's table of plugins is generated from it. */
  description: string;
  /**
   * The stable error codes it answers with (docs/gateway.md lists them). Those outside the closed
   * set of platform/errors.ts reach clients as they are, even in production.
   */
  codes: readonly string[];
  /** Whether its HTTP part also guards the subscription stream route (CORS and the rate limit do). */
  stream: boolean;
  /**
   * Settings of its own, if it has any: its variables (zod, each with its one default and a
   * `.describe()` text, as a domain's slice) and the typed settings they become. The gateway parses
   * them once at start, before any plugin is made (a bad value stops it, naming the variable), and
   * docs/configuration.md's table lists them.
   */
  config?: ConfigSlice<Settings>;
  /** The running plugin under this configuration and its settings; undefined when the configuration turns it off. */
  create(services: EdgeServices, settings: Settings): GatewayPlugin | undefined;
}

/** PLUGINS holds definitions with different settings side by side. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPluginDefinition = PluginDefinition<any>;

/** Typed in one place, so each plugin file's definition reads the same; `create` gets the settings typed from `config`. */
export const definePlugin = <Settings = undefined>(definition: PluginDefinition<Settings>): PluginDefinition<Settings> => definition;

/** Extensions of an error the edge raises: a stable code and the HTTP status to answer with. */
export const edgeError = (code: string, status: number, extra: Record<string, unknown> = {}) => ({
  code,
  ...extra,
  http: { status },
});
