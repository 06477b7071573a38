import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { visit } from 'graphql';
import type { z } from 'zod';
import { badInputs, type FieldPath, type FieldProblem } from '../platform/errors.ts';

const NUL_MESSAGE = 'must not contain NUL characters';

/**
 * Validates input at the edge. Every issue becomes part of one BAD_USER_INPUT error: `field`
 * names the first offending field (as clients have always read it), `fields` lists them all, so
 * a form can mark every mistake at once. NUL characters are refused here, whatever the schema
 * says: no database column would take them, and the failure would otherwise be the database's.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, root: FieldPath = ['input']): z.output<S> {
  const problems: FieldProblem[] = nulCharacters(value).map((path) => ({ field: [...root, ...path], message: NUL_MESSAGE }));
  const result = schema.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = [...root, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
      // The NUL is the better explanation of a field that is also "too long" or "malformed".
      if (!problems.some((p) => p.field.join('.') === field.join('.'))) problems.push({ field, message: issue.message });
    }
  }
  if (problems.length) throw badInputs(problems as [FieldProblem, ...FieldProblem[]]);
  return (result as z.ZodSafeParseSuccess<z.output<S>>).data;
}

/** Paths of the strings (or object keys) holding a NUL, at any depth. */
export function nulCharacters(value: unknown, at: FieldPath = []): FieldPath[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [at] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => nulCharacters(v, [...at, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (k.includes('\u0000') ? [[...at, k]] : nulCharacters(v, [...at, k])));
  }
  return [];
}

/**
 * The same refusal for every argument of every operation, before anything runs, including the
 * ones no input schema checks (`cancelOrder(reason)`): variables by their path, literals by their
 * argument's name.
 */
export function refuseNulInput<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const problems: FieldProblem[] = Object.entries(request.variables ?? {}).flatMap(([name, v]) =>
            nulCharacters(v, [name]).map((field) => ({ field, message: NUL_MESSAGE })),
          );
          visit(document, {
            Argument(node) {
              let found = false;
              visit(node.value, { StringValue: (s) => void (found ||= s.value.includes('\u0000')) });
              if (found) problems.push({ field: [node.name.value], message: NUL_MESSAGE });
            },
          });
          if (!problems.length) return;
          const error = badInputs(problems as [FieldProblem, ...FieldProblem[]]);
          // Refused before execution, the answer is a 400 (Apollo drops `http` from what the client sees), which the gateway passes on as it is.
          Object.assign(error.extensions, { http: { status: 400 } });
          throw error;
        },
      };
    },
  };
}
