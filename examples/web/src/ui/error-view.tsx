import { CombinedGraphQLErrors, ServerError } from '@apollo/client';

export interface CodedError {
  code: string;
  message: string;
  field?: string;
}

const coded = (e: { message: string; extensions?: Record<string, unknown> }): CodedError => ({
  code: typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL_SERVER_ERROR',
  message: e.message,
  ...(typeof e.extensions?.field === 'string' ? { field: e.extensions.field } : {}),
});

/** An error the app states itself in the graph's terms (an order that answers null: NOT_FOUND). */
const isCoded = (e: unknown): e is CodedError =>
  !!e && typeof e === 'object' && !(e instanceof Error) && typeof (e as CodedError).code === 'string' && typeof (e as CodedError).message === 'string';

/**
 * The graph's stable codes of an error, whatever carried it: GraphQL errors, or an HTTP refusal
 * whose body still holds them (429 RATE_LIMITED, 404 PERSISTED_QUERY_NOT_IN_LIST).
 */
export function codesOf(error: unknown): CodedError[] {
  if (isCoded(error)) return [error];
  if (CombinedGraphQLErrors.is(error)) return error.errors.map((e) => coded(e as Parameters<typeof coded>[0]));
  if (ServerError.is(error)) {
    try {
      const body = JSON.parse(error.bodyText) as { errors?: Array<Parameters<typeof coded>[0]> };
      if (body.errors?.length) return body.errors.map(coded);
    } catch {
      // not JSON: fall through to the status
    }
    return [{ code: `HTTP_${error.statusCode}`, message: error.message }];
  }
  return [{ code: 'NETWORK_ERROR', message: error instanceof Error ? error.message : String(error) }];
}

/** Errors as the user sees them: the code first (what support asks for), the field, the message. */
export function ErrorView({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div role="alert" className="error">
      {codesOf(error).map((e, i) => (
        <p key={i}>
          <code className="error-code">{e.code}</code>
          {e.field ? (
            <>
              {' '}on <code className="error-field">{e.field}</code>
            </>
          ) : null}
          : {e.message}
        </p>
      ))}
    </div>
  );
}
