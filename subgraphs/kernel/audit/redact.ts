/** What a mutation record must never carry: credentials in any argument, however deeply nested. */
export const SECRET_KEY = /pass|secret|token|key/i;
export const REDACTED = '[REDACTED]';
/** Long free text (a JSON problem, a note) is cut here so one record cannot grow without bound. */
export const MAX_STRING = 2_000;

/** A copy of `value` with every secret-named key's value replaced, and over-long strings cut. */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…[${value.length - MAX_STRING} more]` : value;
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) ? REDACTED : redact(inner)]));
  }
  return value === undefined ? null : value;
}
