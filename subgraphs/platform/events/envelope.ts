import { z } from 'zod';

/**
 * A CloudEvents 1.0 envelope, as every VoidTracker event travels (structured in the outbox,
 * binary content mode on Kafka and on the in-process bus).
 */
export interface EventEnvelope<T = unknown> {
  specversion: '1.0';
  /** Unique per event; consumers dedupe on it (see inbox.ts). */
  id: string;
  /** The producing domain as a URI reference: `/voidtracker/orders`. */
  source: string;
  /** Versioned and past tense: `voidtracker.orders.order.created.v1`. */
  type: string;
  /** The aggregate id; also the Kafka key, so one aggregate's events stay in order. */
  subject: string;
  /** RFC 3339 date-time with offset. */
  time: string;
  datacontenttype: 'application/json';
  data: T;
  /** Extension: the tenant (Organization id) the event belongs to. */
  orgid: string;
  /** Extension: W3C trace context of the request that caused the event (trace.ts). */
  traceparent?: string;
  /** Extension: the user whose request caused the event (actor.ts); absent for system work. */
  actorid?: string;
  /** Extension: that user's roles at the time, comma-separated (CloudEvents extensions are strings). */
  actorroles?: string;
}

/** `voidtracker.<domain>.<aggregate>.<what happened>.v<N>`, lower case, underscores allowed. */
export const EVENT_TYPE_PATTERN = /^voidtracker\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.v[1-9][0-9]*$/;

/** One topic per emitting domain. */
export const topicFor = (domain: string): string => `voidtracker.${domain}`;

export class EnvelopeError extends Error {
  override name = 'EnvelopeError';
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

const EnvelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().regex(EVENT_TYPE_PATTERN, 'must look like voidtracker.<domain>.<aggregate>.<event>.v<N>'),
  subject: z.string().min(1),
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal('application/json'),
  data: z.unknown(),
  orgid: z.string().min(1),
  traceparent: z.string().regex(TRACEPARENT, 'must be a W3C traceparent').optional(),
  actorid: z.string().min(1).max(200).optional(),
  actorroles: z.string().max(500).optional(),
});

/** Checks the attributes (not the payload: that is the contract's job). Throws EnvelopeError. */
export function validateEnvelope(value: unknown): EventEnvelope {
  const parsed = EnvelopeSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(envelope)'}: ${i.message}`);
    throw new EnvelopeError(`Malformed event envelope: ${problems.join('; ')}`);
  }
  if (parsed.data.data === undefined) throw new EnvelopeError('Malformed event envelope: data: missing');
  return parsed.data as EventEnvelope;
}

/** A record as Kafka (and the bus) carries it: binary content mode. */
export interface WireMessage {
  key: string;
  /** The JSON-encoded `data`. */
  value: string;
  headers: Record<string, string>;
}

const HEADER_PREFIX = 'ce_';
/** Attributes carried as `ce_<name>` headers; `datacontenttype` travels as `content-type`. */
const HEADER_ATTRIBUTES = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'orgid', 'traceparent', 'actorid', 'actorroles'] as const;

/** Encodes for Kafka binary content mode; the key defaults to the subject (the aggregate id). */
export function toWireMessage(envelope: EventEnvelope, key: string = envelope.subject): WireMessage {
  const headers: Record<string, string> = { 'content-type': envelope.datacontenttype };
  for (const name of HEADER_ATTRIBUTES) {
    const value = envelope[name];
    if (value !== undefined) headers[`${HEADER_PREFIX}${name}`] = value;
  }
  return { key, value: JSON.stringify(envelope.data), headers };
}

type RawHeaderValue = Buffer | string | ReadonlyArray<Buffer | string> | undefined;
export type RawHeaders = Record<string, RawHeaderValue>;

/** Kafka headers arrive as Buffers (or arrays of them); everything here is UTF-8 text. */
export function normalizeHeaders(headers: RawHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw[raw.length - 1] : (raw as Buffer | string);
    if (value !== undefined) out[name.toLowerCase()] = value.toString();
  }
  return out;
}

/** Decodes a binary-mode message; rejects anything that is not a valid envelope with JSON data. */
export function fromWireMessage(message: {
  value: Buffer | string | null | undefined;
  headers?: RawHeaders | Record<string, string>;
}): EventEnvelope {
  const headers = normalizeHeaders(message.headers as RawHeaders | undefined);
  const contentType = headers['content-type'];
  if (contentType === undefined) throw new EnvelopeError('Malformed event message: content-type header missing');
  // Parameters such as `; charset=utf-8` are allowed.
  if (contentType.split(';')[0]!.trim().toLowerCase() !== 'application/json') {
    throw new EnvelopeError(`Malformed event message: content-type ${contentType} is not application/json`);
  }
  if (message.value === null || message.value === undefined) {
    throw new EnvelopeError('Malformed event message: no value (data)');
  }
  let data: unknown;
  try {
    data = JSON.parse(message.value.toString());
  } catch (error) {
    throw new EnvelopeError(`Malformed event message: value is not JSON (${(error as Error).message})`);
  }
  const candidate: Record<string, unknown> = { datacontenttype: 'application/json', data };
  for (const name of HEADER_ATTRIBUTES) {
    const value = headers[`${HEADER_PREFIX}${name}`];
    if (value !== undefined) candidate[name] = value;
  }
  return validateEnvelope(candidate);
}
