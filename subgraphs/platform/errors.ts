import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** The one closed set of error codes clients can rely on. */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'SERVICE_OVERLOADED',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type FieldPath = ReadonlyArray<string | number>;

/** One field at fault, in `extensions.fields` when an input has several. */
export interface FieldProblem {
  field: FieldPath;
  message: string;
}

export class AppError extends GraphQLError {
  /**
   * `reason` refines a code where a client must act differently on one case (a deactivated user
   * is FORBIDDEN with reason USER_DEACTIVATED); like the codes, reasons are stable.
   */
  constructor(
    code: ErrorCode,
    message: string,
    extra: { field?: FieldPath; fields?: readonly FieldProblem[]; reason?: string; retryAfter?: number; cause?: unknown } = {},
  ) {
    super(message, {
      extensions: {
        code,
        ...(extra.field ? { field: extra.field.join('.') } : {}),
        ...(extra.fields ? { fields: extra.fields.map((f) => ({ field: f.field.join('.'), message: f.message })) } : {}),
        ...(extra.reason ? { reason: extra.reason } : {}),
        // A refusal that is only about now: the same request later is expected to succeed.
        ...(extra.retryAfter !== undefined ? { retryable: true, retryAfter: extra.retryAfter } : {}),
      },
      originalError: extra.cause instanceof Error ? extra.cause : undefined,
    });
  }
  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

export const badInput = (message: string, field?: FieldPath) => new AppError('BAD_USER_INPUT', message, { field });
/** Every field at fault at once; `field` stays the first, for clients that read only that. */
export const badInputs = (problems: readonly [FieldProblem, ...FieldProblem[]]) =>
  new AppError('BAD_USER_INPUT', problems.map((p) => `${p.field.join('.')}: ${p.message}`).join('; '), {
    field: problems[0].field,
    fields: problems,
  });
/** The message of an UNAUTHENTICATED answer to a token the deny-list refuses (reason TOKEN_REVOKED). */
export const TOKEN_REVOKED_MESSAGE = 'The access token was revoked (the user was deactivated or their roles changed); sign in or refresh.';

/** A token the deny-list refused says so (reason TOKEN_REVOKED): the client signs in or refreshes rather than retrying. */
export const unauthenticated = (message = 'You must be signed in.') =>
  new AppError('UNAUTHENTICATED', message, message === TOKEN_REVOKED_MESSAGE ? { reason: 'TOKEN_REVOKED' } : {});
export const forbidden = (message = 'You are not allowed to do this.') => new AppError('FORBIDDEN', message);
export const notFound = (what: string, field?: FieldPath) => new AppError('NOT_FOUND', `${what} not found.`, { field });
export const conflict = (message: string, field?: FieldPath) => new AppError('CONFLICT', message, { field });

/**
 * The service is busy (its bounded write slots and their queue are full, or no database
 * connection came in time): nothing was written, and the same request may be sent again after
 * `retryAfter` seconds. The gateway answers HTTP 503 with Retry-After when this is every error.
 */
export const overloaded = (retryAfterSeconds: number, cause?: unknown) =>
  new AppError('SERVICE_OVERLOADED', `The service is busy; nothing was written. Retry in ${retryAfterSeconds} s.`, { retryAfter: retryAfterSeconds, cause });

const KNOWN = new Set<string>(ERROR_CODES);
/** Codes Apollo Server itself produces for malformed requests; they pass through as they are. */
const PROTOCOL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  // Safelisting of partners' persisted queries (gateway/plugins/partner-safelist.ts), as Apollo Router names them.
  'PERSISTED_QUERY_NOT_IN_LIST',
  'PERSISTED_QUERY_ID_REQUIRED',
  'CANNOT_SEND_PQ_ID_AND_BODY',
]);

/** What a client sees of an error that is not one of the codes above: nothing of its insides. */
export const INTERNAL_MESSAGE = 'Internal server error.';

/**
 * True when the error is not one a client is meant to read: no code, a code outside the closed set,
 * or INTERNAL_SERVER_ERROR itself (Apollo gives that code to every unexpected throw, a database
 * error included, so it says nothing about the message being safe to show).
 */
export function isInternal(code: unknown): boolean {
  return typeof code !== 'string' || code === 'INTERNAL_SERVER_ERROR' || !(KNOWN.has(code) || PROTOCOL_CODES.has(code));
}

/**
 * Normalises every error once, at the edge: known codes pass, anything else becomes
 * INTERNAL_SERVER_ERROR and, in production, loses its message, extensions and stack (the request
 * id is added by `internalErrors`, and the details go to the log).
 */
export function formatError(
  formatted: GraphQLFormattedError,
  options: { production: boolean; original?: unknown },
): GraphQLFormattedError {
  if (isArgumentError(options.original)) {
    const field = /Argument "(\w+)"/.exec(formatted.message)?.[1];
    return { ...formatted, extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) } };
  }
  const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
  if (!isInternal(code)) {
    if (!options.production) return formatted;
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  if (!options.production) {
    return { ...formatted, extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR' } };
  }
  return { message: INTERNAL_MESSAGE, ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/**
 * Pothos rejects malformed connection arguments (negative `first`, a foreign cursor) with its
 * own error class before any resolver runs: those are the client's mistakes, not ours.
 */
export function isArgumentError(error: unknown): boolean {
  // Duck-typed: graphql's CommonJS and ESM builds each have their own GraphQLError class.
  const original = error && typeof error === 'object' && 'originalError' in error ? error.originalError : error;
  return original instanceof Error && original.name === 'PothosValidationError';
}
