import { AsyncLocalStorage } from 'node:async_hooks';
import type { WriteAdmissionConfig } from '../config.ts';
import { overloaded } from '../errors.ts';
import type { Database } from './database.ts';

/**
 * Bounds the write transactions a subgraph's requests run at once. Without it a burst of
 * mutations queued on the connection pool until Prisma gave up with "Unable to start a
 * transaction in the given time" (an internal error, after seconds). Here a transaction runs when
 * a slot is free, waits in a short queue otherwise, and beyond that queue (or its wait) is refused
 * at once with SERVICE_OVERLOADED: the client learns quickly that it may retry, and nothing was written.
 * A request that reaches its first write later than its budget after it arrived is refused the same way.
 */
export interface WriteAdmission {
  /** `arrivedAt` (performance.now() when the request came in): a request older than the budget is refused before it writes. */
  run<T>(work: () => Promise<T>, arrivedAt?: number): Promise<T>;
  stats(): { running: number; waiting: number; admitted: number; refused: number };
}

export function createWriteAdmission(config: WriteAdmissionConfig): WriteAdmission {
  let running = 0;
  let admitted = 0;
  let refused = 0;
  const waiting: Array<{ start(): void }> = [];
  const refusal = () => {
    refused++;
    return overloaded(config.retryAfterSeconds);
  };
  const release = () => {
    running--;
    const next = waiting.shift();
    if (next) next.start();
  };
  const acquire = (): Promise<void> | void => {
    if (running < config.concurrency) {
      running++;
      return;
    }
    if (waiting.length >= config.queueLimit) throw refusal();
    return new Promise<void>((resolve, reject) => {
      const entry = {
        start: () => {
          clearTimeout(timer);
          running++;
          resolve();
        },
      };
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(entry), 1);
        reject(refusal());
      }, config.queueTimeoutMs);
      waiting.push(entry);
    });
  };
  return {
    async run(work, arrivedAt) {
      // Under CPU saturation a request can spend seconds before its first write; by then the gateway
      // is about to give up on it, and writing it would only add events for the others to consume.
      if (arrivedAt !== undefined && performance.now() - arrivedAt > config.requestBudgetMs) throw refusal();
      await acquire();
      admitted++;
      try {
        return await work();
      } finally {
        release();
      }
    },
    stats: () => ({ running, waiting: waiting.length, admitted, refused }),
  };
}

/** Marks the work of one GraphQL request, with when it arrived: its transactions are the ones admission bounds. */
const requestScope = new AsyncLocalStorage<{ arrivedAt: number }>();
export const inRequestScope = <T>(work: () => T): T => requestScope.run({ arrivedAt: performance.now() }, work);

/** Prisma's refusal when no connection came within maxWait (P2028): the pool is exhausted, so it is load, not a fault. */
export function isTransactionStartTimeout(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === 'P2028' && typeof e.message === 'string' && e.message.includes('Unable to start a transaction');
}

interface Transactional {
  $transaction(...args: never[]): Promise<unknown>;
}

/**
 * The client with `$transaction` going through admission when a request starts it; consumers and
 * relays (outside any request) keep their own pace and are never refused, since a refusal there
 * would only become a retry or a dead letter. A transaction that cannot get a connection in time
 * is refused the same way as one the queue turned away.
 */
export function admitWrites<Db extends object>(db: Db, admission: WriteAdmission, retryAfterSeconds: number): Db {
  const transactional = db as unknown as Transactional;
  if (typeof transactional.$transaction !== 'function') return db;
  const transaction = async (...args: never[]) => {
    const request = requestScope.getStore();
    if (!request) return transactional.$transaction(...args);
    return admission.run(async () => {
      try {
        return await transactional.$transaction(...args);
      } catch (error) {
        if (isTransactionStartTimeout(error)) throw overloaded(retryAfterSeconds, error);
        throw error;
      }
    }, request.arrivedAt);
  };
  return new Proxy(db, {
    get(target, property) {
      if (property === '$transaction') return transaction;
      const value = Reflect.get(target, property, target) as unknown;
      // Prisma's methods expect the client itself as `this`, not this wrapper.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The same bound for the plain SQL transactions of the domain's Database (`sqlUnitOfWork`: orders'
 * createOrder), so a command does not escape admission by leaving the ORM. Outside a request
 * (consumers, relays) they run as they come.
 */
export function admitDatabaseWrites(database: Database, admission: WriteAdmission): Database {
  return {
    ...database,
    transaction: (work) => {
      const request = requestScope.getStore();
      if (!request) return database.transaction(work);
      return admission.run(() => database.transaction(work), request.arrivedAt);
    },
  };
}

/** The admission's counters in Prometheus text, for a subgraph's /metrics. */
export function admissionMetrics(subgraph: string, admission: WriteAdmission): string {
  const { running, waiting, admitted, refused } = admission.stats();
  const label = `{subgraph="${subgraph}"}`;
  return [
    '# HELP voidtracker_db_write_transactions_running Write transactions of requests running now.',
    '# TYPE voidtracker_db_write_transactions_running gauge',
    `voidtracker_db_write_transactions_running${label} ${running}`,
    '# HELP voidtracker_db_write_transactions_waiting Write transactions of requests waiting for a slot now.',
    '# TYPE voidtracker_db_write_transactions_waiting gauge',
    `voidtracker_db_write_transactions_waiting${label} ${waiting}`,
    '# HELP voidtracker_db_write_transactions_admitted_total Write transactions of requests given a slot.',
    '# TYPE voidtracker_db_write_transactions_admitted_total counter',
    `voidtracker_db_write_transactions_admitted_total${label} ${admitted}`,
    '# HELP voidtracker_db_write_transactions_refused_total Write transactions of requests refused as SERVICE_OVERLOADED (queue full or waited too long).',
    '# TYPE voidtracker_db_write_transactions_refused_total counter',
    `voidtracker_db_write_transactions_refused_total${label} ${refused}`,
    '',
  ].join('\n');
}
