import type { z } from 'zod';
import { badInput, type FieldPath } from './errors.ts';

/**
 * Validates input at the edge. The first issue becomes a BAD_USER_INPUT error naming the
 * offending field, so a client can point at it.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, root: FieldPath = ['input']): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = [...root, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  throw badInput(`${path.join('.')}: ${issue.message}`, path);
}
