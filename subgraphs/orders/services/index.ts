import { sqlUnitOfWork, unitOfWork, type UnitOfWork } from '../../platform/events/unit-of-work.ts';
import type { SqlExecutor } from '../../platform/events/sql.ts';
import type { SubgraphDeps } from '../../kernel/subgraph.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

export interface OrdersServices {
  /** How commands commit: state and outbox rows in one transaction, then the relay woken. */
  commit: UnitOfWork<Prisma.TransactionClient>;
  /** The same on plain SQL, without the ORM: for `createOrder`, the write every order pays for. */
  commitSql: UnitOfWork<SqlExecutor>;
}

export const createOrdersServices = async (deps: SubgraphDeps<PrismaClient>): Promise<OrdersServices> => ({
  commit: unitOfWork<Prisma.TransactionClient>(deps.db, deps.events.outbox),
  commitSql: sqlUnitOfWork(deps.database, deps.events.outbox),
});
