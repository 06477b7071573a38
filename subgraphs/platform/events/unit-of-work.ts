import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database } from '../db/database.ts';
import type { TransactionalDb } from './consumer.ts';
import type { EventEnvelope } from './envelope.ts';
import { writeOutbox } from './outbox.ts';
import type { SqlExecutor } from './sql.ts';

/** Runs a command's writes (state and outbox rows) in one transaction; see unitOfWork. */
export type UnitOfWork<Tx> = <T>(work: (tx: Tx) => Promise<T>, limits?: { maxWait?: number; timeout?: number }) => Promise<T>;

/** The relay of the database the unit of work commits to. */
export interface Relay {
  notify(): void;
}

/** The relays to wake when the request in hand ends (see wakeRelaysAfterRequest). */
const requestWakes = new AsyncLocalStorage<Set<() => void>>();

/** Wakes the relay now, or once the request in hand ends when there is one. */
function wake(relay: Relay): void {
  const pending = requestWakes.getStore();
  if (pending) pending.add(relay.notify);
  else relay.notify();
}

/**
 * Runs one request so that the relays its commits wake are woken once, when it ends: a command's
 * events and its audit record (written just after, kernel/audit/plugin.ts) then leave in one relay
 * round and one produce request, and its consumers fetch them together, instead of twice each.
 */
export async function wakeRelaysAfterRequest<T>(work: () => Promise<T>): Promise<T> {
  const pending = new Set<() => void>();
  try {
    return await requestWakes.run(pending, work);
  } finally {
    for (const notify of pending) notify();
  }
}

/**
 * The one way a command commits: its state and its outbox rows in one transaction, and, once that
 * committed, the relay woken so the events leave at once (at the end of the request, when in one).
 * Resolvers never call notify(); a rollback wakes nothing.
 */
export function unitOfWork<Tx>(db: TransactionalDb<Tx>, relay: Relay): UnitOfWork<Tx> {
  return async (work, limits) => {
    const result = await db.$transaction(work, limits);
    wake(relay);
    return result;
  };
}

/**
 * The same on a plain SQL transaction of the domain's database, for a command's hot path where the
 * ORM's cost per statement shows (orders' createOrder). Waits for a connection as the pool does.
 */
export function sqlUnitOfWork(database: Pick<Database, 'transaction'>, relay: Relay): UnitOfWork<SqlExecutor> {
  return unitOfWork<SqlExecutor>({ $transaction: (work) => database.transaction(work) }, relay);
}

/**
 * The unit of work of writes that are only events (the audit plugin's mutation records): one
 * statement for all of them, atomic by itself, and the relay woken the same way.
 */
export function eventsOnlyUnitOfWork(database: Pick<Database, 'query'>, relay: Relay): (topic: string, envelopes: readonly EventEnvelope[]) => Promise<void> {
  return async (topic, envelopes) => {
    if (!envelopes.length) return;
    await writeOutbox(database, topic, envelopes);
    wake(relay);
  };
}
