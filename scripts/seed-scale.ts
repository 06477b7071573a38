/**
 * A year of a large carrier's data, straight into each domain's PostgreSQL database:
 *   npm run seed:scale -- --orders 100000 --tenants 50 [--days 365] [--seed 1] [--start 2026-01-01]
 * Orders across their lifecycle with status history, routes with stops, quotes, invoices with
 * credit notes, hash-chained audit entries and analytics facts; one tenant (Demo Logistics, whose
 * users log in with the demo password) holds 10% of the orders. Rows go in with batched multi-row
 * INSERTs, one transaction per domain and day, each recording its day in the database's
 * `_seed_scale` table: run the same command again after an interruption and it continues where
 * each domain stopped. Progress on stderr, the summary on stdout. Needs POSTGRES_URL; the
 * databases are <DATABASE_PREFIX>_<domain>, as the graph uses them.
 */
import pg from 'pg';
import { ensureDefaultRateCard } from '../subgraphs/billing/services/rate-cards.ts';
import { prismaSql } from '../subgraphs/platform/events/sql.ts';
import { PrismaClient as BillingClient } from '../subgraphs/billing/generated/prisma/client.ts';
import { PrismaClient as IamClient } from '../subgraphs/iam/generated/prisma/client.ts';
import { seedIam } from '../subgraphs/iam/seed.ts';
import { databaseFor, type Config, type Env } from '../subgraphs/platform/config.ts';
import { openDatabase } from '../subgraphs/platform/db/database.ts';
import { applyMigrations, readMigrations } from '../subgraphs/platform/db/migrate.ts';
import { createLogger } from '../subgraphs/platform/logger.ts';
import { doneDays, ensureProgressTable, recordedOptions, writeDay } from './growth/bulk.ts';
import { AUDIT_LOOKBACK_DAYS, generateDay, type AuditEvent, type DayRows } from './growth/day.ts';
import { planTenants, type ScaleOptions, type Tenant } from './growth/tenants.ts';
import { SEEDED_DOMAINS, writeDomainDay, writeSetup, type SeededDomain } from './growth/writers.ts';
import { processIo, runWhenEntry, scriptConfig, table, type Io } from './lib/cli.ts';
import { parseCommandLine, readCommandLine, UsageError, type Parsed } from './lib/command-line.ts';
import { migrationsDir } from './lib/domains.ts';

const count = { type: 'string', value: 'n' } as const;

export const SPEC = {
  name: 'seed:scale',
  summary:
    'A year of a large carrier\'s data in the graph\'s PostgreSQL databases (POSTGRES_URL, databases ' +
    '<DATABASE_PREFIX>_<domain>). Run it again with the same options to resume after an interruption.',
  options: {
    orders: { ...count, description: 'orders to create over the days (required)' },
    tenants: { ...count, default: '20', description: 'organizations, Demo Logistics first with 10% of the orders' },
    days: { ...count, default: '365', description: 'days of history, ending today (at least 3)' },
    seed: { ...count, default: '1', description: "the generator's seed: the same options give the same data" },
    start: { type: 'string', value: 'YYYY-MM-DD', description: 'the first day (default: --days before today); a resumed run keeps the recorded one' },
  },
} as const;

export interface Args {
  orders: number;
  tenants: number;
  days: number;
  seed: number;
  start: string | undefined;
}

/** The parsed options as this script's arguments: whole numbers written as digits, a real date. */
export function argsOf({ options }: Parsed<typeof SPEC.options>): Args {
  const whole = (raw: string, flag: string, min: number) => {
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) throw new UsageError(`${flag}: not a whole number of at least ${min}: ${raw}`);
    return Number(raw);
  };
  if (options.orders === undefined) throw new UsageError('--orders is required');
  const start = options.start?.trim();
  if (start !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(start) || Number.isNaN(Date.parse(start)))) throw new UsageError(`--start: not a date (YYYY-MM-DD): ${start}`);
  return {
    orders: whole(options.orders, '--orders', 1),
    tenants: whole(options.tenants, '--tenants', 1),
    days: whole(options.days, '--days', 3),
    seed: whole(options.seed, '--seed', 0),
    start: start === undefined ? undefined : `${start}T00:00:00.000Z`,
  };
}

/** argv → arguments, or 'help'; throws UsageError on bad usage. */
export function parseArgs(argv: readonly string[]): Args | 'help' {
  const parsed = parseCommandLine(SPEC, argv);
  return parsed === 'help' ? 'help' : argsOf(parsed);
}

/** The options of this run: those recorded by an earlier one win for the start day, and must agree otherwise. */
export function resolveOptions(args: Args, recorded: ScaleOptions | undefined, today: Date): ScaleOptions {
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const wanted: ScaleOptions = {
    orders: args.orders,
    tenants: args.tenants,
    days: args.days,
    seed: args.seed,
    start: args.start ?? recorded?.start ?? new Date(midnight - args.days * 86_400_000).toISOString(),
  };
  if (recorded) {
    const differ = (Object.keys(wanted) as Array<keyof ScaleOptions>).filter((k) => wanted[k] !== recorded[k]);
    if (differ.length) {
      throw new UsageError(
        `these databases were seeded with ${differ.map((k) => `--${k} ${String(recorded[k]).slice(0, 10)}`).join(' ')}; ` +
          'resume with the same options, or use another DATABASE_PREFIX',
      );
    }
  }
  return wanted;
}

const mb = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;

/** Migrates every domain, and gives the tenants what the domains' own code gives a new organization. */
async function prepare(config: Config, tenants: Tenant[] | undefined, io: Io): Promise<void> {
  for (const domain of SEEDED_DOMAINS) {
    const database = await openDatabase(databaseFor(config, domain));
    try {
      await applyMigrations(database, await readMigrations(migrationsDir(domain)), (name) => io.err(`seed:scale: ${domain}: migrating ${name}`));
      if (domain === 'iam' && !tenants) {
        const db = new IamClient({ adapter: database.adapter });
        await seedIam({ db, logger: createLogger('warn') });
        await db.$disconnect();
      }
      if (domain === 'billing' && tenants) {
        const db = new BillingClient({ adapter: database.adapter });
        for (const t of tenants) await db.$transaction((tx) => ensureDefaultRateCard(prismaSql(tx), t.id, new Date()));
        const versions = await db.rateCardVersion.findMany({ where: { rateCard: { code: 'ORG_DEFAULT' }, version: 1 }, select: { orgId: true, id: true } });
        const byOrg = new Map(versions.map((v) => [v.orgId, v.id]));
        for (const t of tenants) t.rateCardVersionId = byOrg.get(t.id)!;
        await db.$disconnect();
      }
    } finally {
      await database.close();
    }
  }
}

export async function main(argv: readonly string[], env: Env = process.env, io: Io = processIo()): Promise<number> {
  const args = readCommandLine(SPEC, argv, io, argsOf);
  if (typeof args === 'number') return args;
  const config = scriptConfig(env, io, 'seed:scale');
  if (!config) return 2;
  if (!config.postgresUrl) {
    io.err('seed:scale: set POSTGRES_URL: the scale seed writes to PostgreSQL (embedded PGlite is for the demo)');
    return 2;
  }

  await prepare(config, undefined, io);
  const clients = new Map<SeededDomain, pg.Client>();
  try {
    for (const domain of SEEDED_DOMAINS) {
      const client = new pg.Client({ connectionString: databaseFor(config, domain).location });
      await client.connect();
      // A crash loses at most the last moments' days, whole (each commits with its progress row),
      // and the next run writes them again: no need to wait for every commit's flush.
      await client.query('SET synchronous_commit = off');
      await ensureProgressTable(client);
      clients.set(domain, client);
    }
    let options: ScaleOptions;
    try {
      options = resolveOptions(args, (await recordedOptions(clients.get('orders')!)) as ScaleOptions | undefined, new Date());
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.err(`seed:scale: ${error.message}`);
      return 2;
    }
    const tenants = planTenants(options);
    await prepare(config, tenants, io);
    const done = new Map<SeededDomain, Set<number>>();
    for (const [domain, client] of clients) {
      await writeDay(client, -1, options, () => writeSetup(domain, client, tenants, options.start));
      done.set(domain, await doneDays(client));
    }
    const resumedAt = Math.min(...[...done.values()].map((days) => [...Array(options.days).keys()].find((d) => !days.has(d)) ?? options.days));
    io.err(
      `seed:scale: ${options.orders} orders over ${options.days} days from ${options.start.slice(0, 10)}, ${options.tenants} tenants` +
        (resumedAt >= options.days ? '; already complete' : resumedAt > 0 ? `; resuming at day ${resumedAt + 1}` : ''),
    );

    const rowsBy = new Map<SeededDomain, number>(SEEDED_DOMAINS.map((d) => [d, 0]));
    let orders = 0;
    const started = performance.now();
    let lastReport = started;
    let peakRss = 0;
    const pending = (day: number) => SEEDED_DOMAINS.filter((d) => !done.get(d)!.has(day));
    const write = (rows: DayRows) =>
      Promise.all(
        pending(rows.day).map(async (domain) => {
          const client = clients.get(domain)!;
          rowsBy.set(domain, rowsBy.get(domain)! + (await writeDay(client, rows.day, options, () => writeDomainDay(domain, client, rows))));
        }),
      );
    // The audit log is recorded in time order (verifyAuditChain maps a time range onto sequences
    // by recording time), but a day's orders have facts on later days (deliveries, invoices, credit
    // notes): each day's facts wait in a bucket of the day they happen on, and the audit domain's
    // day d is bucket d, complete once day d is generated (later days' orders happen later).
    const buckets = new Map<number, AuditEvent[]>();
    const origin = Date.parse(options.start);
    const settle = (rows: DayRows) => {
      for (const e of rows.audit) {
        const bucket = Math.floor((e.occurredAt - origin) / 86_400_000);
        const list = buckets.get(bucket) ?? [];
        list.push(e);
        buckets.set(bucket, list);
      }
      rows.audit = (buckets.get(rows.day) ?? []).sort((a, b) => a.occurredAt - b.occurredAt);
      buckets.delete(rows.day);
      return rows;
    };
    // A resumed run regenerates the days whose facts may still fall on the days it writes.
    const firstDay = resumedAt >= options.days ? options.days : Math.max(0, resumedAt - AUDIT_LOOKBACK_DAYS);
    // While PostgreSQL stores one day, the next one is generated (and its audit entries hashed).
    let next: DayRows | undefined = firstDay < options.days ? generateDay(options, tenants, firstDay) : undefined;
    for (let day = firstDay; day < options.days; day++) {
      const current = settle(next!);
      const writing = day >= resumedAt ? write(current) : Promise.resolve([]);
      next = day + 1 < options.days ? generateDay(options, tenants, day + 1) : undefined;
      await writing;
      if (day >= resumedAt && pending(day).length) orders += current.orders;
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      if (performance.now() - lastReport > 5_000 || day === options.days - 1) {
        lastReport = performance.now();
        const seconds = (lastReport - started) / 1000;
        const rows = [...rowsBy.values()].reduce((a, b) => a + b, 0);
        io.err(
          `seed:scale: day ${day + 1}/${options.days}: ${orders} orders, ${rows} rows in ${seconds.toFixed(0)} s ` +
            `(${Math.round(orders / seconds)} orders/s, ${Math.round(rows / seconds)} rows/s), RSS ${mb(process.memoryUsage.rss())}`,
        );
      }
    }
    const seconds = (performance.now() - started) / 1000;
    // What autovacuum does on a live system soon after: statistics for the planner, and the
    // visibility map that lets index-only scans skip the table.
    io.err('seed:scale: VACUUM ANALYZE…');
    for (const client of clients.values()) await client.query('VACUUM ANALYZE');
    const total = [...rowsBy.values()].reduce((a, b) => a + b, 0);
    io.out(
      table(
        ['domain', 'rows written', 'rows/s'],
        [...[...rowsBy].map(([d, n]) => [d, String(n), String(Math.round(n / seconds))]), ['all', String(total), String(Math.round(total / seconds))]],
      ).join('\n'),
    );
    io.out(`${orders} orders in ${seconds.toFixed(1)} s (${Math.round(orders / Math.max(seconds, 0.001))} orders/s), peak RSS ${mb(peakRss)}`);
    return 0;
  } finally {
    for (const client of clients.values()) await client.end();
  }
}

runWhenEntry(import.meta.url, 'seed:scale', main);
