/**
 * A downstream consumer group for the fault tests: it applies an effect (one row per event) and
 * its inbox row in one transaction with the library's `handleOnce`, on its own embedded PGlite.
 * The effect table has no uniqueness of its own, so only the inbox stands between a redelivery
 * and a second effect: if that guarantee broke, the checks here would see it.
 */
import { openDatabase, type Database } from '../../../subgraphs/platform/db/database.ts';
import type { EventEnvelope } from '../../../subgraphs/platform/events/envelope.ts';
import { handleOnce, INBOX_DDL } from '../../../subgraphs/platform/events/inbox.ts';
import type { DeliveryMeta, EventTransport, Subscription } from '../../../subgraphs/platform/events/transport.ts';

const EFFECT_DDL = `CREATE TABLE IF NOT EXISTS "Effect" (
  "seq" BIGSERIAL PRIMARY KEY,
  "consumer" TEXT NOT NULL,
  "event_id" TEXT NOT NULL,
  "subject" TEXT NOT NULL,
  "type" TEXT NOT NULL
);`;

export interface Delivery {
  eventId: string;
  subject: string;
  type: string;
  member: string;
  meta: DeliveryMeta;
}

export interface AppliedEffect {
  seq: number;
  eventId: string;
  subject: string;
  type: string;
}

/** What a member does around the effect; `afterEffect` runs once the effect's transaction committed. */
export interface MemberHooks {
  /** Runs before the effect; throwing fails this attempt with nothing applied. */
  beforeEffect?(envelope: EventEnvelope, meta: DeliveryMeta): Promise<void> | void;
  /** Runs after the effect committed and before the handler returns (so before the offset commit). */
  afterEffect?(envelope: EventEnvelope, meta: DeliveryMeta, leave: () => Promise<void>): Promise<void> | void;
}

export interface EffectConsumer {
  readonly group: string;
  readonly database: Database;
  /** Joins the group as one more member (resolves once joined). */
  join(name?: string, hooks?: MemberHooks): Promise<Subscription>;
  /** Every delivery any member saw, in arrival order (duplicates included). */
  deliveries(): Delivery[];
  /** The effects applied, in the order they were committed. */
  effects(subjects?: ReadonlySet<string>): Promise<AppliedEffect[]>;
  close(): Promise<void>;
}

export interface EffectConsumerOptions {
  transport: EventTransport;
  group: string;
  topics: readonly string[];
  /** Only events of these subjects are recorded (the rest of the topic is acknowledged untouched). */
  subjects?: (subject: string) => boolean;
  maxAttempts?: number;
}

/**
 * PGlite is one connection: two handlers (two partitions) must not interleave their BEGIN/COMMIT,
 * so transactions take turns.
 */
function serialised() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => {});
    return run;
  };
}

export async function startEffectConsumer(options: EffectConsumerOptions): Promise<EffectConsumer> {
  const database = await openDatabase({ kind: 'pglite', location: 'memory://' });
  await database.exec(INBOX_DDL);
  await database.exec(EFFECT_DDL);
  const inTurn = serialised();
  const seen: Delivery[] = [];
  const members: Subscription[] = [];
  let memberSeq = 0;

  const join = async (name = `member-${++memberSeq}`, hooks: MemberHooks = {}) => {
    let joined: ((s: Subscription) => void) | undefined;
    const self = new Promise<Subscription>((resolve) => (joined = resolve));
    // A member may get records before subscribe() returns: leaving waits for the handle.
    const leave = () => self.then((s) => s.close());
    const subscription = await options.transport.subscribe({
      group: options.group,
      topics: options.topics,
      maxAttempts: options.maxAttempts ?? 20,
      backoff: { initialMs: 20, maxMs: 500 },
      handle: async (envelope, meta) => {
        if (options.subjects && !options.subjects(envelope.subject)) return;
        seen.push({ eventId: envelope.id, subject: envelope.subject, type: envelope.type, member: name, meta });
        await hooks.beforeEffect?.(envelope, meta);
        await inTurn(() =>
          database.transaction((tx) =>
            handleOnce(tx, options.group, envelope, () =>
              tx.query(`INSERT INTO "Effect" ("consumer", "event_id", "subject", "type") VALUES ($1, $2, $3, $4)`, [
                options.group,
                envelope.id,
                envelope.subject,
                envelope.type,
              ]),
            ),
          ),
        );
        await hooks.afterEffect?.(envelope, meta, leave);
      },
    });
    joined?.(subscription);
    members.push(subscription);
    return subscription;
  };

  return {
    group: options.group,
    database,
    join,
    deliveries: () => [...seen],
    effects: async (subjects) => {
      const rows = await inTurn(() =>
        database.query<{ seq: string | number; event_id: string; subject: string; type: string }>(
          `SELECT "seq", "event_id", "subject", "type" FROM "Effect" WHERE "consumer" = $1 ORDER BY "seq"`,
          [options.group],
        ),
      );
      return rows
        .map((r) => ({ seq: Number(r.seq), eventId: r.event_id, subject: r.subject, type: r.type }))
        .filter((r) => !subjects || subjects.has(r.subject));
    },
    close: async () => {
      await Promise.allSettled(members.map((m) => m.close()));
      await database.close();
    },
  };
}

/** The event types each subject (order) must see, in the order its mutations happened. */
export type Expected = ReadonlyMap<string, readonly string[]>;

export interface GuaranteeReport {
  /** Subjects whose applied types differ from the expected ones: something lost, doubled or reordered. */
  wrong: Array<{ subject: string; expected: readonly string[]; applied: string[] }>;
  /** Events whose effect was applied more than once. */
  appliedTwice: string[];
  /** Events applied, of the expected subjects. */
  applied: number;
  /** Deliveries beyond the first per event: proof that the fault really produced redeliveries. */
  redelivered: number;
}

/** Compares what was written with what was applied: nothing lost, nothing twice, order per key. */
export function checkGuarantees(expected: Expected, effects: readonly AppliedEffect[], deliveries: readonly Delivery[]): GuaranteeReport {
  const mine = effects.filter((e) => expected.has(e.subject));
  const count = new Map<string, number>();
  for (const e of mine) count.set(e.eventId, (count.get(e.eventId) ?? 0) + 1);
  const bySubject = new Map<string, string[]>();
  for (const e of mine) bySubject.set(e.subject, [...(bySubject.get(e.subject) ?? []), e.type]);
  const perEvent = new Map<string, number>();
  for (const d of deliveries) if (expected.has(d.subject)) perEvent.set(d.eventId, (perEvent.get(d.eventId) ?? 0) + 1);
  return {
    wrong: [...expected]
      .map(([subject, types]) => ({ subject, expected: types, applied: bySubject.get(subject) ?? [] }))
      .filter((r) => r.expected.join() !== r.applied.join()),
    appliedTwice: [...count].filter(([, n]) => n > 1).map(([id]) => id),
    applied: mine.length,
    redelivered: [...perEvent.values()].reduce((n, c) => n + c - 1, 0),
  };
}

/** True once every expected subject has at least its expected number of effects (what to wait for). */
export function allApplied(expected: Expected, effects: readonly AppliedEffect[]): boolean {
  const n = new Map<string, number>();
  for (const e of effects) n.set(e.subject, (n.get(e.subject) ?? 0) + 1);
  return [...expected].every(([subject, types]) => (n.get(subject) ?? 0) >= types.length);
}
