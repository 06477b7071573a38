import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';

/**
 * Per-request batching for the lookups a list fans out into. The gateway sends a subgraph one
 * `_entities` call for every entity of a list, and the resolvers of those entities all run within
 * the same turn of the event loop; a Batcher collects the keys they ask for and loads them in one
 * query once every promise job has run (`setImmediate`). So N entities cost one query, not N.
 */
export class Batcher<V> {
  private pending = new Map<string, Array<{ resolve: (v: V | null) => void; reject: (e: unknown) => void }>>();

  constructor(private readonly load: (keys: string[]) => Promise<Map<string, V>>) {}

  get(key: string): Promise<V | null> {
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) setImmediate(() => void this.flush());
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    try {
      const found = await this.load([...batch.keys()]);
      for (const [key, waiting] of batch) for (const w of waiting) w.resolve(found.get(key) ?? null);
    } catch (error) {
      for (const waiting of batch.values()) for (const w of waiting) w.reject(error);
    }
  }
}

/** Where the requests' batchers live: one set per request context, gone with it. */
const perRequest = new WeakMap<object, Map<string, Batcher<unknown>>>();

/**
 * The value for `key` from this request's batch called `name`. Everything the loader depends on
 * besides the keys (tenant, selection, visibility) must be part of `name`: the first caller's
 * loader serves every later key of that name.
 */
export function loadBatched<V>(ctx: object, name: string, key: string, load: (keys: string[]) => Promise<Map<string, V>>): Promise<V | null> {
  let batchers = perRequest.get(ctx);
  if (!batchers) perRequest.set(ctx, (batchers = new Map()));
  let batcher = batchers.get(name) as Batcher<V> | undefined;
  if (!batcher) {
    batcher = new Batcher(load);
    batchers.set(name, batcher as unknown as Batcher<unknown>);
  }
  return batcher.get(key);
}

/**
 * Rows by id for one Pothos selection (`query`: the include/select the client's fields need) and
 * one visibility filter: batched per distinct selection and filter, so a list asking for the same
 * fields costs one query.
 */
export function byIdBatched<T extends { id: string }>(
  ctx: object,
  model: string,
  query: object,
  where: object,
  id: string,
  findMany: (args: { where: object } & object) => Promise<T[]>,
): Promise<T | null> {
  return loadBatched<T>(ctx, `${model}:${JSON.stringify(query)}:${JSON.stringify(where)}`, id, async (ids) =>
    new Map((await findMany({ ...query, where: { ...where, id: { in: ids } } })).map((row) => [row.id, row])),
  );
}

/**
 * An entity's row for `resolveReference`, batched with the other representations of the same
 * `_entities` call, and loaded with the relations the request selects beneath it (so they cost
 * no query of their own). `scope` is the caller's visibility filter: a row outside it is null.
 */
export function referenceBatched<T extends { id: string }>(
  ctx: object,
  info: GraphQLResolveInfo,
  typeName: string,
  scope: object,
  id: string,
  findMany: (args: { where: object } & object) => Promise<T[]>,
): Promise<T | null> {
  return byIdBatched(ctx, typeName, queryFromInfo({ context: ctx, info, typeName }), scope, id, findMany);
}
