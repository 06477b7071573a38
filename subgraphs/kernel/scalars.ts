import { GraphQLError, Kind, type ValueNode } from 'graphql';

/** ISO-8601 date-time with offset; always emitted in UTC with a Z. */
export const dateTimeScalar = {
  description: 'An ISO-8601 date-time with offset, e.g. 2026-11-21T09:30:00Z.',
  serialize: (value: unknown) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date.');
    return date.toISOString();
  },
  parseValue: (value: unknown) => parseDateTime(value),
  parseLiteral: (ast: ValueNode) => {
    if (ast.kind !== Kind.STRING) throw dateTimeError();
    return parseDateTime(ast.value);
  },
};

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function dateTimeError() {
  return new GraphQLError('DateTime must be an ISO-8601 string with an offset, e.g. 2026-11-21T09:30:00Z.', {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_WITH_OFFSET.test(value)) throw dateTimeError();
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw dateTimeError();
  return date;
}
