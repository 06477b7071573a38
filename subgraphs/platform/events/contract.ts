import { z } from 'zod';
import { uuidv7 } from '../ids.ts';
import { EVENT_TYPE_PATTERN, topicFor, type EventEnvelope } from './envelope.ts';
import { currentActor, type EventActor } from './actor.ts';
import { currentTraceparent } from './trace.ts';

export class EventValidationError extends Error {
  override name = 'EventValidationError';
  constructor(
    message: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }> = [],
  ) {
    super(message);
  }
}

export interface CreateOptions {
  /** The aggregate id (also the Kafka key). */
  subject: string;
  orgId: string;
  time?: Date | string;
  id?: string;
  /** Defaults to the active OpenTelemetry context's (none when no SDK is registered). */
  traceparent?: string;
  /** Defaults to the caller of the request this runs in (actor.ts); none for system work. */
  actor?: EventActor;
}

export interface EventContract<Type extends string, Schema extends z.ZodType> {
  readonly type: Type;
  /** The emitting domain (`orders`). */
  readonly producer: string;
  /** `/voidtracker/<producer>`, the CloudEvents source. */
  readonly source: string;
  /** The producer's topic, `voidtracker.<producer>`. */
  readonly topic: string;
  readonly aggregate: string;
  readonly description: string;
  readonly schema: Schema;
  /** Builds an envelope, validating the payload (producer side). Throws EventValidationError. */
  create(data: z.input<Schema>, options: CreateOptions): TypedEnvelope<Type, z.output<Schema>>;
  /** Checks the type and validates the payload (consumer side). Throws EventValidationError. */
  parse(envelope: EventEnvelope): TypedEnvelope<Type, z.output<Schema>>;
  /** True when the envelope carries this contract's type (no payload check). */
  matches(envelope: EventEnvelope): boolean;
}

/** An envelope whose `type` is a literal: a union of these is a discriminated union. */
export type TypedEnvelope<Type extends string, Data> = EventEnvelope<Data> & { type: Type };

/** Any contract, whatever its payload type (lists of contracts, catalogs). */
export type AnyEventContract = EventContract<string, z.ZodType<any>>;

/** The envelope type a contract produces; `EnvelopeOf<typeof A | typeof B>` is the union. */
export type EnvelopeOf<C> = C extends EventContract<infer T, infer S> ? TypedEnvelope<T, z.output<S>> : never;

export interface EventDefinition<Type extends string, Schema extends z.ZodType> {
  type: Type;
  producer: string;
  aggregate: string;
  schema: Schema;
  description: string;
}

const issuesOf = (error: z.ZodError) => error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
const describeIssues = (issues: ReadonlyArray<{ path: string; message: string }>) =>
  issues.map((i) => `${i.path || '(data)'}: ${i.message}`).join('; ');

/** Declares one event: its versioned type, who emits it, and the schema both sides validate with. */
export function defineEvent<const Type extends string, Schema extends z.ZodType>(
  definition: EventDefinition<Type, Schema>,
): EventContract<Type, Schema> {
  const { type, producer, aggregate, schema, description } = definition;
  if (!EVENT_TYPE_PATTERN.test(type)) {
    throw new Error(`Event type ${type} must look like voidtracker.<domain>.<aggregate>.<event>.v<N>`);
  }
  if (!type.startsWith(`voidtracker.${producer}.`)) {
    throw new Error(`Event type ${type} must start with voidtracker.${producer}. (its producer)`);
  }
  const source = `/voidtracker/${producer}`;
  const validate = (data: unknown, side: 'publish' | 'consume') => {
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      const issues = issuesOf(parsed.error);
      throw new EventValidationError(`Invalid ${type} payload (${side}): ${describeIssues(issues)}`, issues);
    }
    return parsed.data as z.output<Schema>;
  };
  return {
    type,
    producer,
    source,
    topic: topicFor(producer),
    aggregate,
    description,
    schema,
    create(data, options) {
      const time = options.time ?? new Date();
      const traceparent = options.traceparent ?? currentTraceparent();
      const actor = options.actor ?? currentActor();
      return {
        specversion: '1.0',
        id: options.id ?? uuidv7(),
        source,
        type,
        subject: options.subject,
        time: typeof time === 'string' ? time : time.toISOString(),
        datacontenttype: 'application/json',
        data: validate(data, 'publish'),
        orgid: options.orgId,
        ...(traceparent ? { traceparent } : {}),
        ...(actor ? { actorid: actor.userId, actorroles: actor.roles.join(',') } : {}),
      };
    },
    parse(envelope) {
      if (envelope.type !== type) {
        throw new EventValidationError(`Expected an event of type ${type}, got ${envelope.type}`);
      }
      return { ...envelope, type, data: validate(envelope.data, 'consume') };
    },
    matches: (envelope) => envelope.type === type,
  };
}

/**
 * The events a consumer understands, as one parser: returns the discriminated union of their
 * envelopes, or undefined for types it does not know (newer versions, other aggregates).
 */
export function eventParser<const C extends readonly AnyEventContract[]>(contracts: C) {
  const byType = new Map<string, AnyEventContract>(contracts.map((c) => [c.type, c]));
  return (envelope: EventEnvelope): EnvelopeOf<C[number]> | undefined =>
    byType.get(envelope.type)?.parse(envelope) as EnvelopeOf<C[number]> | undefined;
}

export interface ConsumerRegistration {
  /** The consuming domain or consumer group. */
  consumer: string;
  /** Event types (or the contracts) it handles. */
  events: ReadonlyArray<string | AnyEventContract>;
}

interface JsonSchemaNode {
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  items?: JsonSchemaNode;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  format?: string;
}

function describeType(node: JsonSchemaNode): string {
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives) return alternatives.map(describeType).join(' \\| ');
  if (node.type === 'array') return `${node.items ? describeType(node.items) : 'unknown'}[]`;
  const type = Array.isArray(node.type) ? node.type.join(' \\| ') : (node.type ?? 'unknown');
  return node.format ? `${type} (${node.format})` : type;
}

/** `name: type` per top-level payload field, `?` marking optional ones. */
export function payloadFields(schema: z.ZodType): string[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  if (!json.properties) return [describeType(json)];
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties).map(
    ([name, node]) => `${name}${required.has(name) ? '' : '?'}: ${describeType(node)}`,
  );
}

/** A markdown table of the given events: type, producer, consumers, payload fields. */
export function eventCatalog(
  contracts: readonly AnyEventContract[],
  consumers: readonly ConsumerRegistration[] = [],
): string {
  const consumersOf = (type: string) =>
    consumers
      .filter((c) => c.events.some((e) => (typeof e === 'string' ? e : e.type) === type))
      .map((c) => c.consumer)
      .sort();
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = [...contracts]
    .sort((a, b) => a.type.localeCompare(b.type))
    .map((c) => {
      const fields = payloadFields(c.schema).map((f) => `\`${f.replace(/`/g, "'")}\``).join(', ');
      const who = consumersOf(c.type);
      return `| \`${c.type}\` | ${c.producer} | ${who.length ? who.join(', ') : '—'} | ${fields} | ${cell(c.description)} |`;
    });
  return ['| type | producer | consumers | payload | description |', '|---|---|---|---|---|', ...rows].join('\n') + '\n';
}
