/**
 * How many events per second the audit consumer records (inbox + chain append, one transaction
 * each), fed straight into its handler, on PGlite and, when one answers, on PostgreSQL; and how
 * many entries per second verifyAuditChain re-hashes.
 *   npx tsx scripts/bench-audit.ts [events]      (npm run bench:audit)
 */
import pg from 'pg';
import { orderCreatedEvent } from '../gateway/testing/harness.ts';
import { auditConsumer } from '../subgraphs/audit/events/audit-consumer.ts';
import { runConsumer, sqlTransactions } from '../subgraphs/platform/events/consumer.ts';
import type { PrismaClient } from '../subgraphs/audit/generated/prisma/client.ts';
import { audit } from '../subgraphs/audit/server.ts';
import { verifyChain } from '../subgraphs/audit/services/verify.ts';
import { openScratchDatabase } from '../subgraphs/kernel/db/scratch.ts';
import { commandLine } from './lib/command-line.ts';

const { positionals } = commandLine({
  name: 'bench:audit',
  summary: 'Events/s the audit consumer records (inbox + chain append), on PGlite and PostgreSQL, and entries/s the chain verification re-hashes.',
  positionals: ['[events]'],
  options: {},
});
const n = Number(positionals[0] ?? 2_000);
if (!Number.isInteger(n) || n < 1) {
  process.stderr.write(`bench:audit: [events] must be a whole number of at least 1, not ${positionals[0]}\n`);
  process.exit(2);
}
const POSTGRES = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const scenarios = [
  { name: 'one at a time, one organization', inFlight: 1, orgs: 1 },
  { name: '3 in flight, one organization (contended chain head)', inFlight: 3, orgs: 1 },
  { name: '3 in flight, 10 organizations', inFlight: 3, orgs: 10 },
  { name: '10 in flight, 10 organizations', inFlight: 10, orgs: 10 },
] as const;

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function bench(backend: 'pglite' | 'postgres') {
  const scratch = await openScratchDatabase(audit, backend === 'postgres' ? POSTGRES : undefined);
  const db: PrismaClient = scratch.db;
  // As the subgraph runs it: plain SQL transactions on the domain's database.
  const consume = runConsumer(sqlTransactions(scratch.database), auditConsumer).handle;
  try {
    for (const s of scenarios) {
      const orgs = Array.from({ length: s.orgs }, () => crypto.randomUUID());
      const events = Array.from({ length: n }, (_, i) => orderCreatedEvent(crypto.randomUUID(), orgs[i % orgs.length]!, orgs[0]!));
      let next = 0;
      const started = performance.now();
      // Each worker is one partition: it handles its events one after another, as the transports do.
      await Promise.all(Array.from({ length: s.inFlight }, async () => {
        while (next < events.length) await consume(events[next++]!);
      }));
      const seconds = (performance.now() - started) / 1000;
      console.log(`${backend.padEnd(8)} ${s.name.padEnd(52)} ${String(Math.round(n / seconds)).padStart(6)} events/s`);
    }
    const [org] = (await db.auditChain.findMany({ orderBy: { headSequence: 'desc' }, take: 1 }));
    const started = performance.now();
    const result = await verifyChain(db, org!.orgId, {});
    const seconds = (performance.now() - started) / 1000;
    console.log(`${backend.padEnd(8)} ${`verifyAuditChain over ${result.checkedCount} entries`.padEnd(52)} ${String(Math.round(result.checkedCount / seconds)).padStart(6)} entries/s`);
  } finally {
    await scratch.close();
  }
}

console.log(`audit consumer: ${n} OrderCreated events per scenario, each its own transaction (inbox row, chain head locked, entry)`);
await bench('pglite');
if (await postgresAnswers()) await bench('postgres');
else console.log(`postgres skipped: nothing answers at ${POSTGRES}`);
