import type { AnyEventContract, EnvelopeOf } from './contract.ts';
import type { EventEnvelope } from './envelope.ts';
import { claimEvents } from './inbox.ts';
import { noticingOutboxWrites } from './outbox.ts';
import type { Database } from '../db/database.ts';
import { prismaSql, type PrismaRawClient, type SqlExecutor } from './sql.ts';
import { withEventTrace } from './trace.ts';
import type { BatchMeta, DeliveryMeta } from './transport.ts';

/** What a handler gets besides the event and the transaction. */
export interface ConsumeContext {
  /** The clock, read once per batch: domains take time from here, never from `new Date()`. */
  now: Date;
  /** The topic the event came on. */
  topic: string;
  /** The event as published (before parsing), for consumers that keep it (analytics' event log). */
  envelope: EventEnvelope;
  /** Runs once the transaction committed (metrics, waking a dispatcher); dropped on rollback. */
  afterCommit(effect: () => void): void;
  /**
   * In a route's `sql` handler, before it has written anything: this event needs the route's
   * full handler (a rare case the plain SQL path does not cover). The transaction is rolled
   * back and the event applied again by `handle`.
   */
  decline(): never;
}

export type ConsumeHandler<Tx, Event> = (event: Event, tx: Tx, ctx: ConsumeContext) => Promise<unknown>;

/** Which handler takes which event types. */
export interface EventRoute<Tx> {
  readonly contracts: readonly AnyEventContract[];
  /** True: the handler gets the envelope as published (payload not re-parsed). */
  readonly raw: boolean;
  readonly handle: ConsumeHandler<Tx, EventEnvelope>;
  /** Tried first, in a plain SQL transaction, where the kernel has one (see `on`). */
  readonly sql?: ConsumeHandler<SqlExecutor, EventEnvelope>;
}

/**
 * Events of these contracts, parsed against them (a breach is a poison event), go to `handle`.
 * `sql`: a hot path of an ORM consumer written on plain SQL (an ORM query costs several times
 * the CPU of the same SQL on the driver: docs/performance.md). Where the kernel runs the
 * consumer on a database it goes there first, in a plain SQL transaction; it may `decline()`
 * an event it does not cover, which `handle` then applies. Replays and tests that hold only the
 * ORM client use `handle`.
 */
export function on<Tx, const C extends readonly AnyEventContract[]>(
  contracts: C,
  handle: ConsumeHandler<Tx, EnvelopeOf<C[number]>>,
  options: { sql?: ConsumeHandler<SqlExecutor, EnvelopeOf<C[number]>> } = {},
): EventRoute<Tx> {
  return {
    contracts,
    raw: false,
    handle: handle as ConsumeHandler<Tx, EventEnvelope>,
    ...(options.sql ? { sql: options.sql as ConsumeHandler<SqlExecutor, EventEnvelope> } : {}),
  };
}

/** Events of these types go to `handle` as published (for consumers that pass events on unchanged). */
export function onEnvelope<Tx>(contracts: readonly AnyEventContract[], handle: ConsumeHandler<Tx, EventEnvelope>): EventRoute<Tx> {
  return { contracts, raw: true, handle };
}

/**
 * A domain's consumer: what it reads and what it decides. runConsumer does the rest:
 * batching, dispatch by type, parsing, the inbox, the transaction, the clock, waking the relay.
 */
export interface EventConsumer<Tx> {
  /** Consumer group and inbox name (the domain, by convention). */
  name: string;
  routes: readonly EventRoute<Tx>[];
  /** Events no route names (audit records every event, known or not); skipped without it. */
  otherwise?: ConsumeHandler<Tx, EventEnvelope>;
  /** Topics read; default: those of the routes' contracts. */
  topics?: readonly string[];
  /**
   * 'sql': the handlers write plain SQL (Tx is a SqlExecutor) and each batch runs in a
   * plain SQL transaction, with no ORM in between (a Prisma query costs several times the CPU of
   * the same SQL on the driver: docs/performance.md). Default: Prisma's interactive transaction.
   */
  store?: 'prisma' | 'sql';
  /**
   * How long this reader may let events gather before applying them together (the transport's
   * `gatherMs`): a domain whose readers can lag a little pays one fetch and one transaction for
   * many events. Default 0, for consumers someone waits on (billing's quote).
   */
  gatherMs?: number;
}

export function topicsOf<Tx>(consumer: EventConsumer<Tx>): string[] {
  const declared = consumer.topics ?? consumer.routes.flatMap((r) => r.contracts.map((c) => c.topic));
  return [...new Set(declared)].sort();
}

/** Every contract a consumer routes (for the event catalog). */
export function contractsOf<Tx>(consumer: EventConsumer<Tx>): AnyEventContract[] {
  return consumer.routes.flatMap((r) => [...r.contracts]);
}

/** What prismaTransactions needs of a Prisma client. */
export interface TransactionalDb<Tx> {
  $transaction<T>(work: (tx: Tx) => Promise<T>, options?: { maxWait?: number; timeout?: number }): Promise<T>;
}

/** How runConsumer opens a batch's transaction: the handlers' `tx`, and the same transaction as SQL for the inbox. */
export interface Transactions<Tx> {
  run<T>(work: (tx: Tx, sql: SqlExecutor) => Promise<T>): Promise<T>;
}

/**
 * A batch of 100 events may hold a transaction for a while under load, and under load the pool
 * may make it wait for a connection: both limits are far above Prisma's defaults (2 s, 5 s).
 */
const TRANSACTION_LIMITS = { maxWait: 10_000, timeout: 60_000 };

/** Batches in Prisma's interactive transactions (consumers whose handlers use the Prisma client). */
export const prismaTransactions = <Tx extends PrismaRawClient>(db: TransactionalDb<Tx>): Transactions<Tx> => ({
  run: (work) => db.$transaction((tx) => work(tx, prismaSql(tx)), TRANSACTION_LIMITS),
});

/** Batches in plain SQL transactions on the domain's database (`store: 'sql'` consumers). */
export const sqlTransactions = (database: Pick<Database, 'transaction'>): Transactions<SqlExecutor> => ({
  run: (work) => database.transaction((session) => work(session, session)),
});

/** A `store: 'sql'` consumer's handlers on a Prisma client's transactions (replays and tests that hold only the client). */
export const prismaSqlTransactions = (db: TransactionalDb<PrismaRawClient>): Transactions<SqlExecutor> => ({
  run: (work) =>
    db.$transaction((tx) => {
      const sql = prismaSql(tx);
      return work(sql, sql);
    }, TRANSACTION_LIMITS),
});

export interface RunConsumerOptions {
  /** Default: the system clock. */
  clock?: () => Date;
  /** Plain SQL transactions on the same database, for routes' `sql` handlers (without it, `handle` takes every event). */
  sql?: Transactions<SqlExecutor>;
  /** After a commit that wrote outbox rows: the subgraph wakes its outbox relay here. */
  onCommit?: () => void;
}

export interface RunningConsumer {
  readonly name: string;
  readonly topics: string[];
  /** The types it acts on (for the transport to pass the others over); absent when it takes every event. */
  readonly accepts?: (type: string) => boolean;
  /** One event in its own transaction (a transport's per-record path; tests and replays). */
  handle(envelope: EventEnvelope, meta?: Pick<DeliveryMeta, 'topic'>): Promise<void>;
  /** Consecutive events of one partition in one transaction, all or nothing. */
  handleBatch(envelopes: EventEnvelope[], meta: BatchMeta): Promise<void>;
}

interface Step<Tx> {
  envelope: EventEnvelope;
  event: EventEnvelope;
  topic: string;
  handle: ConsumeHandler<Tx, EventEnvelope>;
  sql?: ConsumeHandler<SqlExecutor, EventEnvelope>;
}

/** Thrown by `ctx.decline()`: the step at `index` of the run goes to its full handler. */
class Declined extends Error {
  constructor(readonly index: number) {
    super('declined by its sql handler');
  }
}

/**
 * Runs a consumer against its database. Each call is one transaction: claim the events in the
 * inbox (one statement for the batch), apply the fresh ones in order, commit, then wake the relay
 * (when the batch wrote outbox rows) and run the handlers' afterCommit effects. A duplicate (redelivered, or twice in one batch)
 * changes nothing; a handler that throws rolls the whole call back, and the transport then takes a
 * failed batch apart so the poison event is dead-lettered alone (transport.ts, deliverBatch).
 */
export function runConsumer<Tx>(
  transactions: Transactions<Tx>,
  consumer: EventConsumer<Tx>,
  options: RunConsumerOptions = {},
): RunningConsumer {
  const clock = options.clock ?? (() => new Date());
  const routes = new Map<string, { route: EventRoute<Tx>; contract: AnyEventContract }>();
  for (const route of consumer.routes) for (const contract of route.contracts) routes.set(contract.type, { route, contract });

  const stepsOf = (envelopes: readonly EventEnvelope[], topic: string | undefined): Step<Tx>[] => {
    const steps: Step<Tx>[] = [];
    for (const envelope of envelopes) {
      const entry = routes.get(envelope.type);
      if (!entry) {
        if (consumer.otherwise) steps.push({ envelope, event: envelope, topic: topic ?? '', handle: consumer.otherwise });
        continue;
      }
      // A breach of the contract throws before any database work.
      const event = entry.route.raw ? envelope : entry.contract.parse(envelope);
      const sql = options.sql ? entry.route.sql : undefined;
      steps.push({ envelope, event, topic: topic ?? entry.contract.topic, handle: entry.route.handle, ...(sql ? { sql } : {}) });
    }
    return steps;
  };

  /** One transaction: the run's steps on plain SQL (`sql`) or through the consumer's own transactions. */
  const applyRun = async (run: Step<Tx>[], onSql: boolean, traced: boolean) => {
    const afterCommit: Array<() => void> = [];
    const now = clock();
    const work = async (tx: Tx | SqlExecutor, sql: SqlExecutor) => {
      const fresh = await claimEvents(sql, consumer.name, run.map((s) => s.envelope.id));
      let count = 0;
      for (const [index, step] of run.entries()) {
        // Deleting the claim makes a second copy in the same batch a duplicate too.
        if (!fresh.delete(step.envelope.id)) continue;
        const ctx: ConsumeContext = {
          now,
          topic: step.topic,
          envelope: step.envelope,
          afterCommit: (effect) => void afterCommit.push(effect),
          decline: () => {
            throw new Declined(index);
          },
        };
        const handle = () => (onSql ? step.sql!(step.event, sql, ctx) : step.handle(step.event, tx as Tx, ctx));
        await (traced ? withEventTrace(step.envelope, { topic: step.topic, group: consumer.name, attempt: 1 }, handle) : handle());
        count++;
      }
      return count;
    };
    const { result: applied, wroteOutbox } = await noticingOutboxWrites(() => (onSql ? options.sql!.run(work) : transactions.run(work)));
    if (!applied) return;
    if (wroteOutbox) options.onCommit?.();
    for (const effect of afterCommit) effect();
  };

  /**
   * A batch is one transaction, or one per run of consecutive events that go on plain SQL or not
   * (each run claims its own events in the inbox, so a batch retried after a later run failed
   * skips what an earlier one committed). A declined event goes to its full handler, and its run
   * is applied again from its start.
   */
  const apply = async (steps: Step<Tx>[], traced: boolean) => {
    const onSql = steps.map((s) => s.sql !== undefined);
    let from = 0;
    while (from < steps.length) {
      let to = from + 1;
      while (to < steps.length && onSql[to] === onSql[from]) to++;
      try {
        await applyRun(steps.slice(from, to), onSql[from]!, traced);
        from = to;
      } catch (error) {
        // Only a route's sql handler may decline; from a full handler it is a failure like any other.
        if (!(error instanceof Declined) || !onSql[from]) throw error;
        onSql[from + error.index] = false;
      }
    }
  };

  return {
    name: consumer.name,
    topics: topicsOf(consumer),
    ...(consumer.otherwise ? {} : { accepts: (type: string) => routes.has(type) }),
    // The transport's deliver() already runs a single event inside its trace.
    handle: (envelope, meta) => apply(stepsOf([envelope], meta?.topic), false),
    handleBatch: (envelopes, meta) => apply(stepsOf(envelopes, meta.topic), true),
  };
}
