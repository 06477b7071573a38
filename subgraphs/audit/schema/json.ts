import { Kind, valueFromASTUntyped } from 'graphql';
import { builder } from '../builder.ts';

/** An entry's payload is whatever its event carried: any JSON. */
export const JsonType = builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast) => (ast.kind === Kind.NULL ? null : valueFromASTUntyped(ast)),
});
