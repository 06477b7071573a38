import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';

/**
 * @apollo/gateway sends a subgraph one representation per entity in the response, duplicates
 * included: a board of 50 orders by one customer asks iam for that user 50 times. Sending each
 * distinct representation once and fanning the answers back out costs the subgraph one lookup
 * per entity instead of one per occurrence.
 */
export interface Deduplicated {
  /** The distinct representations, in order of first appearance. */
  unique: unknown[];
  /** For each original position, its index in `unique`. */
  positions: number[];
}

/** Null when every representation is distinct (nothing to gain). */
export function deduplicate(representations: readonly unknown[]): Deduplicated | null {
  const seen = new Map<string, number>();
  const unique: unknown[] = [];
  const positions = representations.map((rep) => {
    // The gateway builds each representation from the same selection, so equal entities serialize equally.
    const key = JSON.stringify(rep);
    let at = seen.get(key);
    if (at === undefined) {
      at = unique.push(rep) - 1;
      seen.set(key, at);
    }
    return at;
  });
  return unique.length < representations.length ? { unique, positions } : null;
}

/**
 * The subgraph's answer to the distinct representations, as the gateway expects it for the
 * originals: `_entities` in original order, and each error about `_entities[k]` once for every
 * original position of k. Repeats are copies: the gateway merges into each entity separately.
 */
export function expand(response: GatewayGraphQLResponse, { unique, positions }: Deduplicated): GatewayGraphQLResponse {
  const entities = (response.data as { _entities?: unknown } | null | undefined)?._entities;
  let data = response.data;
  if (Array.isArray(entities) && entities.length === unique.length) {
    const used = new Set<number>();
    const expanded = positions.map((k) => {
      if (!used.has(k)) {
        used.add(k);
        return entities[k];
      }
      return structuredClone(entities[k]);
    });
    data = { ...response.data, _entities: expanded };
  }
  if (!response.errors?.length) return { ...response, data };
  const errors = response.errors.flatMap((error) => {
    const path = error.path;
    if (!path || path[0] !== '_entities' || typeof path[1] !== 'number') return [error];
    const k = path[1];
    return positions.flatMap((p, i) => (p === k ? [{ ...error, path: ['_entities', i, ...path.slice(2)] }] : []));
  });
  return { ...response, data, errors };
}
