import type { TransactionalDb } from './consumer.ts';

/** Runs a command's writes (state and outbox rows) in one transaction; see unitOfWork. */
export type UnitOfWork<Tx> = <T>(work: (tx: Tx) => Promise<T>, limits?: { maxWait?: number; timeout?: number }) => Promise<T>;

/**
 * The one way a command commits: its state and its outbox rows in one transaction, and, once that
 * committed, the relay woken so the events leave at once. Resolvers never call notify(); a
 * rollback wakes nothing.
 */
export function unitOfWork<Tx>(db: TransactionalDb<Tx>, relay: { notify(): void }): UnitOfWork<Tx> {
  return async (work, limits) => {
    const result = await db.$transaction(work, limits);
    relay.notify();
    return result;
  };
}
