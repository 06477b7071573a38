import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Redis } from 'ioredis';
import { normalizeEmail } from '../../subgraphs/kernel/auth/email.ts';
import { clientAddress } from '../client-address.ts';
import type { GatewayContext } from '../context.ts';
import type { Decision, TokenBucketStore } from '../token-buckets.ts';
import { definePlugin, edgeError, type GatewayPlugin } from './types.ts';

/** Consecutive failures per key, and the lockout they have earned. */
export interface LoginBackoffStore {
  /** How long the key is still locked out (0: not). */
  blockedMs(key: string): Promise<number>;
  /** One more failure; returns the lockout it starts. */
  failed(key: string): Promise<number>;
  /** A success forgets the failures. */
  succeeded(key: string): Promise<void>;
}

export interface BackoffOptions {
  /** Failures in a row that cost nothing (typos). */
  freeFailures: number;
  maxBackoffSeconds: number;
  /** Failures are forgotten this long after the last one. Default 1 hour. */
  memoryMs?: number;
}

/** 1 s after the first failure past the free ones, doubling with each further one, up to the maximum. */
export const backoffMs = (failures: number, o: BackoffOptions) =>
  failures <= o.freeFailures ? 0 : Math.min(o.maxBackoffSeconds * 1000, 1000 * 2 ** Math.min(failures - o.freeFailures - 1, 30));

const HOUR_MS = 3_600_000;

export class MemoryLoginBackoff implements LoginBackoffStore {
  private readonly entries = new Map<string, { failures: number; last: number; until: number }>();
  constructor(
    private readonly options: BackoffOptions,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  private live(key: string) {
    const e = this.entries.get(key);
    if (e && this.now() - e.last > (this.options.memoryMs ?? HOUR_MS)) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  async blockedMs(key: string) {
    const e = this.live(key);
    return e ? Math.max(0, e.until - this.now()) : 0;
  }

  async failed(key: string) {
    const now = this.now();
    const e = this.live(key) ?? { failures: 0, last: now, until: 0 };
    e.failures++;
    e.last = now;
    const block = backoffMs(e.failures, this.options);
    e.until = now + block;
    if (!this.entries.has(key) && this.entries.size >= this.maxKeys) {
      for (const k of [...this.entries.keys()]) this.live(k);
      // Still full: start over rather than grow without bound.
      if (this.entries.size >= this.maxKeys) this.entries.clear();
    }
    this.entries.set(key, e);
    return block;
  }

  async succeeded(key: string) {
    this.entries.delete(key);
  }
}

/** The same in Redis, so every gateway sees one lockout; Redis's clock times it (PX, PTTL). */
export class RedisLoginBackoff implements LoginBackoffStore {
  constructor(
    private readonly redis: Redis,
    private readonly options: BackoffOptions & { keyPrefix: string },
  ) {}

  private keys(key: string) {
    const base = `${this.options.keyPrefix}login:${key}`;
    return { failures: `${base}:failures`, until: `${base}:until` };
  }

  async blockedMs(key: string) {
    return Math.max(0, await this.redis.pttl(this.keys(key).until));
  }

  async failed(key: string) {
    const k = this.keys(key);
    const [[, failures]] = (await this.redis.multi().incr(k.failures).pexpire(k.failures, this.options.memoryMs ?? HOUR_MS).exec()) as [[unknown, number]];
    const block = backoffMs(failures, this.options);
    if (block > 0) await this.redis.set(k.until, '1', 'PX', block);
    return block;
  }

  async succeeded(key: string) {
    const k = this.keys(key);
    await this.redis.del(k.failures, k.until);
  }
}

/** One `login` field of a mutation: where its answer sits, and the account it names (if it can be read). */
export interface LoginAttempt {
  responseKey: string;
  email: string | undefined;
}

/** Every `login` field at the mutation's root, aliases and fragments included (one request can carry many). */
export function loginAttempts(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): LoginAttempt[] {
  if (operation.operation !== 'mutation') return [];
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const out: LoginAttempt[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else if (s.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments.get(s.name.value);
        if (f && !seen.has(f.name.value)) {
          seen.add(f.name.value);
          walk(f.selectionSet);
        }
      } else if (s.name.value === 'login') {
        const arg = s.arguments?.find((a) => a.name.value === 'email')?.value;
        const value = arg?.kind === Kind.STRING ? arg.value : arg?.kind === Kind.VARIABLE ? variables[arg.name.value] : undefined;
        out.push({ responseKey: s.alias?.value ?? s.name.value, email: typeof value === 'string' ? value : undefined });
      }
    }
  };
  walk(operation.selectionSet);
  return out;
}

/** The account's key: a hash of the address iam would look up, so no email sits in the store. */
const accountKey = (email: string) => `account:${createHash('sha256').update(normalizeEmail(email)).digest('hex').slice(0, 32)}`;

export interface LoginLimitOptions {
  /** Attempts per account and per client address (token buckets, taken before the login runs). */
  accounts: TokenBucketStore;
  addresses: TokenBucketStore;
  /** Lockouts after failures, per account and per address. */
  backoff: LoginBackoffStore;
  trustedProxies: number;
  onRejected?(): void;
  onStoreError?(error: unknown): void;
}

const refuse = (retryAfterMs: number): never => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  throw new GraphQLError(`Too many login attempts; retry in ${seconds} s.`, {
    extensions: edgeError('RATE_LIMITED', 429, { retryAfter: seconds, reason: 'TOO_MANY_LOGIN_ATTEMPTS' }),
  });
};

/**
 * Bounds password guessing at the edge, where the operation and its variables are known: every
 * `login` field takes a token from its client address's bucket and then from its account's bucket
 * before it runs (so concurrent guesses cannot outrun the count), and each failed login lengthens
 * a lockout of both, which a success of the account lifts. A refusal is RATE_LIMITED (HTTP 429)
 * with `retryAfter` and `reason: TOO_MANY_LOGIN_ATTEMPTS`; iam is never asked.
 */
export function useLoginLimit(options: LoginLimitOptions): GatewayPlugin {
  const guard = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      options.onStoreError?.(error);
      return fallback;
    }
  };
  const open: Decision = { allowed: true, remaining: 0, retryAfterMs: 0 };
  const apollo: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ contextValue }) {
      const address = `address:${contextValue.clientAddress ?? 'unknown'}`;
      let attempts: Array<LoginAttempt & { account: string | undefined }> = [];
      return {
        async didResolveOperation({ document, operation, request, response }) {
          if (!operation) return;
          attempts = loginAttempts(document, operation, request.variables ?? {}).map((a) => ({ ...a, account: a.email ? accountKey(a.email) : undefined }));
          for (const attempt of attempts) {
            const keys = attempt.account ? [address, attempt.account] : [address];
            const blocked = Math.max(...(await Promise.all(keys.map((k) => guard(() => options.backoff.blockedMs(k), 0)))));
            if (blocked > 0) return rejected(blocked);
            // The address first: one client cannot spend a victim's account budget beyond its own.
            const byAddress = await guard(() => options.addresses.take(address), open);
            if (!byAddress.allowed) return rejected(byAddress.retryAfterMs);
            if (!attempt.account) continue;
            const byAccount = await guard(() => options.accounts.take(attempt.account!), open);
            if (!byAccount.allowed) return rejected(byAccount.retryAfterMs);
          }
          function rejected(ms: number): never {
            attempts = [];
            options.onRejected?.();
            response.http.headers.set('retry-after', String(Math.max(1, Math.ceil(ms / 1000))));
            return refuse(ms);
          }
        },
        async willSendResponse({ response }) {
          if (!attempts.length || response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          for (const attempt of attempts) {
            if ((data as Record<string, unknown> | null | undefined)?.[attempt.responseKey]) {
              if (attempt.account) await guard(() => options.backoff.succeeded(attempt.account!), undefined);
              continue;
            }
            // Only a refused password counts; a deactivated user (FORBIDDEN) had the password right.
            const failed = errors?.some((e) => e.path?.[0] === attempt.responseKey && e.extensions?.code === 'UNAUTHENTICATED');
            if (!failed) continue;
            await guard(() => options.backoff.failed(address), 0);
            if (attempt.account) await guard(() => options.backoff.failed(attempt.account!), 0);
          }
        },
      };
    },
  };
  return {
    name: 'login-limit',
    apollo,
    context: (req: IncomingMessage) => ({ clientAddress: clientAddress(req, options.trustedProxies) }),
  };
}

/** On with the rate limit unless GATEWAY_LOGIN_LIMIT=false (docs/security.md). */
export const loginLimitPlugin = definePlugin({
  name: 'login-limit',
  description: 'GraphQL: login attempts per account and per client address, with backoff after failures. On with `GATEWAY_LOGIN_LIMIT` and the rate limit.',
  codes: ['RATE_LIMITED'],
  stream: false,
  create: ({ config, logger, redis, buckets, metrics }) => {
    const g = config.gateway;
    if (!g.login) return undefined;
    const backoff = { freeFailures: g.login.freeFailures, maxBackoffSeconds: g.login.maxBackoffSeconds };
    return useLoginLimit({
      accounts: buckets(g.login.account, 'login-account:'),
      addresses: buckets(g.login.address, 'login-address:'),
      backoff: redis ? new RedisLoginBackoff(redis, { ...backoff, keyPrefix: config.redis.keyPrefix }) : new MemoryLoginBackoff(backoff),
      trustedProxies: g.trustedProxies,
      onRejected: () => metrics?.rateLimited({ countError: false }),
      onStoreError: (error) => logger.warn('login limit store failed; attempt let through', { error: (error as Error).message }),
    });
  },
});
