import type { GraphQLError } from 'graphql';
import { graphqlOfGateway } from './graphql-realm.ts';

/** The stable codes a subscription is refused with, and what each transport answers. */
export const LIVE_CODES = {
  unauthenticated: { code: 'UNAUTHENTICATED', status: 401, close: 4401 },
  partner: { code: 'SUBSCRIPTIONS_NOT_FOR_PARTNERS', status: 403, close: 4403 },
  badSubscription: { code: 'BAD_SUBSCRIPTION', status: 400, close: 4400 },
  // An argument's value at fault (a malformed id): what the same argument on a query answers.
  badInput: { code: 'BAD_USER_INPUT', status: 400, close: 4400 },
  notOverHttp: { code: 'SUBSCRIPTION_NOT_OVER_HTTP', status: 400, close: 4400 },
  disabled: { code: 'SUBSCRIPTIONS_DISABLED', status: 404, close: 4404 },
  /** Per connection or per user (GATEWAY_SUBSCRIPTIONS_PER_CONNECTION / _PER_USER); refuses one subscription, never closes. */
  tooMany: { code: 'TOO_MANY_SUBSCRIPTIONS', status: 429, close: 4400 },
  /** The operation limits' pre-parse checks (gateway/plugins/operation-limits.ts), on the live routes too. */
  documentTooLarge: { code: 'OPERATION_TOO_LARGE', status: 400, close: 4400 },
  tooManyTokens: { code: 'OPERATION_TOO_MANY_TOKENS', status: 400, close: 4400 },
  rateLimited: { code: 'RATE_LIMITED', status: 429, close: 4400 },
  // Trusted documents: a subscription whose text is not in the first-party manifest (Apollo Router's code).
  notInList: { code: 'PERSISTED_QUERY_NOT_IN_LIST', status: 404, close: 4400 },
} as const;

export type LiveCode = (typeof LIVE_CODES)[keyof typeof LIVE_CODES];

/** A refusal before any event is pushed: the client's mistake or missing rights, never ours. */
export class LiveError extends Error {
  override name = 'LiveError';
  constructor(
    readonly kind: LiveCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  get code(): string {
    return this.kind.code;
  }

  /** As a GraphQL error, the shape both protocols send. */
  toGraphQLError(): GraphQLError {
    return new graphqlOfGateway.GraphQLError(this.message, { extensions: { code: this.kind.code, ...this.extra } });
  }

  toJSON() {
    return { message: this.message, extensions: { code: this.kind.code, ...this.extra } };
  }
}
