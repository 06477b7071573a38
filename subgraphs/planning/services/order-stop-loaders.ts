import type { PrismaClient, Stop } from '../generated/prisma/client.ts';

/**
 * Collects the keys asked for while a request's resolvers run and loads them in one query. The
 * gateway sends planning one `_entities` call for all the orders of a list, so `Order.route`,
 * `Order.eta` and `Order.stop` are asked for every order of the list within the same turn of the
 * event loop; `setImmediate` waits until all of them have asked (every promise job has run).
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

/** The request's batcher named `name`, made by `make` on first use. */
export function batcherFor<V>(ctx: object, name: string, make: () => Batcher<V>): Batcher<V> {
  let batchers = perRequest.get(ctx);
  if (!batchers) perRequest.set(ctx, (batchers = new Map()));
  let batcher = batchers.get(name) as Batcher<V> | undefined;
  if (!batcher) {
    batcher = make();
    batchers.set(name, batcher as unknown as Batcher<unknown>);
  }
  return batcher;
}

/**
 * An order's current stop: the newest one that did not fail (a failed delivery sends the order
 * back to the pool, so the stop of its next route replaces it). Always inside the caller's tenant;
 * one query for every order the request asks about.
 */
export function currentStop(ctx: { db: PrismaClient }, orgId: string, orderId: string): Promise<Stop | null> {
  return batcherFor<Stop>(ctx, `current-stop:${orgId}`, () =>
    new Batcher(async (orderIds) => {
      const stops = await ctx.db.stop.findMany({ where: { orgId, orderId: { in: orderIds }, status: { not: 'FAILED' } }, orderBy: { id: 'desc' } });
      const newest = new Map<string, Stop>();
      for (const s of stops) if (!newest.has(s.orderId)) newest.set(s.orderId, s);
      return newest;
    }),
  ).get(orderId);
}

/**
 * Rows by id for one Pothos selection (`query`: the include/select the client's fields need) and
 * one visibility filter: batched per distinct selection, so a list of orders asking for the same
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
  return batcherFor<T>(ctx, `${model}:${JSON.stringify(query)}:${JSON.stringify(where)}`, () =>
    new Batcher(async (ids) => new Map((await findMany({ ...query, where: { ...where, id: { in: ids } } })).map((row) => [row.id, row]))),
  ).get(id);
}
