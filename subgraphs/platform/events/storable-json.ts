
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A UTF-16 surrogate without its partner: JSON.stringify escapes it as `\udXXX`, which jsonb rejects. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** NUL: PostgreSQL refuses it in text and jsonb alike. */
const NUL = /\u0000/g;

/** Text PostgreSQL stores as given: lone surrogates and NUL become U+FFFD, so the spot stays visible. */
export function storableText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(NUL, '\uFFFD');
}

/**
 * A plain JSON copy of `value` (dates as ISO strings, undefined dropped) that PostgreSQL's jsonb
 * accepts, keys included. Every event and mutation record is stored through this one function, so
 * no string a client sends can make the write fail.
 */
export function storableJson(value: unknown): JsonValue {
  const plain = JSON.stringify(value);
  return plain === undefined ? null : clean(JSON.parse(plain) as JsonValue);
}

function clean(value: JsonValue): JsonValue {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, v] of Object.entries(value)) out[storableText(key)] = clean(v);
    return out;
  }
  return value;
}
