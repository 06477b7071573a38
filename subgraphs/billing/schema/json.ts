import { Kind, valueFromASTUntyped } from 'graphql';
import { builder } from '../builder.ts';

/** Rate card rules are a discriminated union (domain/rate-rules.ts), which GraphQL inputs cannot express. */
export const JsonType = builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast) => (ast.kind === Kind.NULL ? null : valueFromASTUntyped(ast)),
});
