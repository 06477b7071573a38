import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../errors.ts';
import { admissionMetrics, admitDatabaseWrites, admitWrites, createWriteAdmission, inRequestScope } from './admission.ts';
import type { Database } from './database.ts';

/** A piece of work that runs until the test lets it finish. */
function held() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { work: () => done.then(() => 'done'), finish };
}

const refusalOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).extensions;
};

describe('write admission', () => {
  it('given every slot taken and the queue full, then the next write is refused at once as SERVICE_OVERLOADED with a retry hint, and a queued one runs when a slot frees', async () => {
    const admission = createWriteAdmission({ concurrency: 2, queueLimit: 1, queueTimeoutMs: 60_000, requestBudgetMs: 60_000, retryAfterSeconds: 3 });
    const [a, b, c] = [held(), held(), held()];
    const first = admission.run(a.work);
    const second = admission.run(b.work);
    const queued = admission.run(c.work);
    await Promise.resolve();
    expect(admission.stats()).toMatchObject({ running: 2, waiting: 1 });
    expect(await refusalOf(admission.run(async () => 'never'))).toEqual({ code: 'SERVICE_OVERLOADED', retryable: true, retryAfter: 3 });
    a.finish();
    await first;
    expect(admission.stats()).toMatchObject({ running: 2, waiting: 0, refused: 1 });
    b.finish();
    c.finish();
    expect(await Promise.all([second, queued])).toEqual(['done', 'done']);
    expect(admission.stats()).toEqual({ running: 0, waiting: 0, admitted: 3, refused: 1 });
  });

  it('given a write that waited its whole queue time, then it is refused and leaves the queue', async () => {
    vi.useFakeTimers();
    try {
      const admission = createWriteAdmission({ concurrency: 1, queueLimit: 5, queueTimeoutMs: 500, requestBudgetMs: 60_000, retryAfterSeconds: 1 });
      const a = held();
      const running = admission.run(a.work);
      const waiting = refusalOf(admission.run(async () => 'never'));
      await vi.advanceTimersByTimeAsync(500);
      expect((await waiting).code).toBe('SERVICE_OVERLOADED');
      expect(admission.stats()).toMatchObject({ running: 1, waiting: 0, refused: 1 });
      a.finish();
      await running;
    } finally {
      vi.useRealTimers();
    }
  });

  it('given refusals, then /metrics counts them per subgraph', async () => {
    const admission = createWriteAdmission({ concurrency: 1, queueLimit: 0, queueTimeoutMs: 0, requestBudgetMs: 60_000, retryAfterSeconds: 1 });
    const a = held();
    const running = admission.run(a.work);
    await refusalOf(admission.run(async () => 'never'));
    const text = admissionMetrics('orders', admission);
    expect(text).toContain('voidtracker_db_write_transactions_running{subgraph="orders"} 1');
    expect(text).toContain('voidtracker_db_write_transactions_refused_total{subgraph="orders"} 1');
    a.finish();
    await running;
  });

  it('given a request that arrived longer ago than its budget, then its write is refused though a slot is free', async () => {
    const admission = createWriteAdmission({ concurrency: 4, queueLimit: 4, queueTimeoutMs: 1_000, requestBudgetMs: 5_000, retryAfterSeconds: 1 });
    expect((await refusalOf(admission.run(async () => 'late', performance.now() - 5_001))).code).toBe('SERVICE_OVERLOADED');
    expect(await admission.run(async () => 'fresh', performance.now())).toBe('fresh');
    expect(admission.stats()).toMatchObject({ admitted: 1, refused: 1 });
  });

  it('given a failing write, then its slot is given back', async () => {
    const admission = createWriteAdmission({ concurrency: 1, queueLimit: 0, queueTimeoutMs: 0, requestBudgetMs: 60_000, retryAfterSeconds: 1 });
    await expect(admission.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await admission.run(async () => 'next')).toBe('next');
  });
});

describe('admitWrites on a client', () => {
  /** Stands in for a Prisma client: `$transaction` runs the callback; other members pass through. */
  const client = (fail?: unknown) => {
    const gates: Array<() => void> = [];
    return {
      gates,
      name: 'client',
      whoAmI() {
        return this.name;
      },
      $transaction: (work: () => Promise<string>) =>
        fail ? Promise.reject(fail) : new Promise<void>((resolve) => gates.push(resolve)).then(work),
    };
  };

  it('given writes inside a request beyond the limit, then they are refused; consumers and relays (outside any request) are never refused', async () => {
    const raw = client();
    const db = admitWrites(raw, createWriteAdmission({ concurrency: 1, queueLimit: 0, queueTimeoutMs: 0, requestBudgetMs: 60_000, retryAfterSeconds: 1 }), 1);
    const inRequest = inRequestScope(() => db.$transaction(async () => 'first'));
    const refused = inRequestScope(() => db.$transaction(async () => 'second'));
    expect((await refusalOf(refused)).code).toBe('SERVICE_OVERLOADED');
    const background = [db.$transaction(async () => 'consumer'), db.$transaction(async () => 'relay')];
    await Promise.resolve();
    await Promise.resolve();
    for (const open of raw.gates) open();
    expect(await Promise.all([inRequest, ...background])).toEqual(['first', 'consumer', 'relay']);
    // Everything else is the client's own, called on the client itself.
    expect(db.whoAmI()).toBe('client');
  });

  it("given Prisma's transaction-start timeout (P2028, the pool exhausted), then the request gets SERVICE_OVERLOADED; any other error passes as it is", async () => {
    const timeout = Object.assign(new Error('Transaction API error: Unable to start a transaction in the given time.'), { code: 'P2028' });
    const admission = createWriteAdmission({ concurrency: 4, queueLimit: 0, queueTimeoutMs: 0, requestBudgetMs: 60_000, retryAfterSeconds: 2 });
    const timedOut = admitWrites(client(timeout), admission, 2);
    expect(await refusalOf(inRequestScope(() => timedOut.$transaction(async () => 'x')))).toEqual({ code: 'SERVICE_OVERLOADED', retryable: true, retryAfter: 2 });
    const other = new Error('unique constraint');
    const failing = admitWrites(client(other), admission, 2);
    await expect(inRequestScope(() => failing.$transaction(async () => 'x'))).rejects.toBe(other);
  });
});

describe('admitDatabaseWrites on the plain SQL Database', () => {
  it("given SQL transactions inside a request beyond the limit (createOrder's path), then they are refused like the client's; outside a request they all run", async () => {
    const gates: Array<() => void> = [];
    const raw = {
      kind: 'pglite',
      transaction: (work: (session: never) => Promise<unknown>) => new Promise<void>((resolve) => gates.push(resolve)).then(() => work(undefined as never)),
    } as unknown as Database;
    const database = admitDatabaseWrites(raw, createWriteAdmission({ concurrency: 1, queueLimit: 0, queueTimeoutMs: 0, requestBudgetMs: 60_000, retryAfterSeconds: 1 }));
    const inRequest = inRequestScope(() => database.transaction(async () => 'first'));
    const refused = inRequestScope(() => database.transaction(async () => 'second'));
    expect((await refusalOf(refused)).code).toBe('SERVICE_OVERLOADED');
    const background = [database.transaction(async () => 'consumer'), database.transaction(async () => 'relay')];
    await Promise.resolve();
    await Promise.resolve();
    for (const open of gates) open();
    expect(await Promise.all([inRequest, ...background])).toEqual(['first', 'consumer', 'relay']);
    expect(database.kind).toBe('pglite');
  });
});
