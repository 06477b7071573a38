import { z } from 'zod';
import { text as boundedText } from '../../kernel/input-schemas.ts';
import { parseDateRange, type DateRange } from '../../platform/date-range.ts';
import { parseInput } from '../../kernel/validation.ts';

const text = boundedText(200);

const LogFilterSchema = z.object({
  entityType: text.nullish(),
  entityId: text.nullish(),
  actorId: text.nullish(),
  eventType: text.nullish(),
  range: z.object({ from: z.date(), to: z.date() }).nullish(),
});

export interface LogFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  eventType?: string;
  range?: DateRange;
}

/** Checks a log filter; the range must not end before it starts nor span more than `maxRangeDays`. */
export function parseLogFilter(input: unknown, maxRangeDays: number): LogFilter {
  const f = parseInput(LogFilterSchema, input ?? {}, ['filter']);
  return {
    ...(f.entityType ? { entityType: f.entityType } : {}),
    ...(f.entityId ? { entityId: f.entityId } : {}),
    ...(f.actorId ? { actorId: f.actorId } : {}),
    ...(f.eventType ? { eventType: f.eventType } : {}),
    ...(f.range ? { range: parseDateRange(f.range, { maxDays: maxRangeDays, field: ['filter', 'range'] }) } : {}),
  };
}

/**
 * The rows a filter selects within one organization. An entity id matches entries about that
 * entity or naming it (route.planned names its orders), so a trail is complete.
 */
export function logWhere(orgId: string, f: LogFilter) {
  return {
    orgId,
    ...(f.entityType ? { entityType: f.entityType } : {}),
    ...(f.entityId ? { OR: [{ entityId: f.entityId }, { relatedIds: { has: f.entityId } }] } : {}),
    ...(f.actorId ? { actorId: f.actorId } : {}),
    ...(f.eventType ? { eventType: f.eventType } : {}),
    ...(f.range ? { occurredAt: { gte: f.range.from, lt: f.range.to } } : {}),
  };
}

const sequence = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const VerifySchema = z
  .object({ fromSequence: sequence.nullish(), toSequence: sequence.nullish() })
  .refine((v) => v.fromSequence == null || v.toSequence == null || v.toSequence >= v.fromSequence, {
    message: 'must not be before fromSequence',
    path: ['toSequence'],
  });

export interface VerifyRange {
  fromSequence?: bigint;
  toSequence?: bigint;
  range?: DateRange;
}

/** Checks what verifyAuditChain was asked to cover: sequences, a time range, or both (their overlap). */
export function parseVerifyRange(args: { fromSequence?: number | null; toSequence?: number | null; range?: { from: Date; to: Date } | null }, maxRangeDays: number): VerifyRange {
  const v = parseInput(VerifySchema, { fromSequence: args.fromSequence, toSequence: args.toSequence }, []);
  return {
    ...(v.fromSequence != null ? { fromSequence: BigInt(v.fromSequence) } : {}),
    ...(v.toSequence != null ? { toSequence: BigInt(v.toSequence) } : {}),
    ...(args.range ? { range: parseDateRange(args.range, { maxDays: maxRangeDays, field: ['range'] }) } : {}),
  };
}
