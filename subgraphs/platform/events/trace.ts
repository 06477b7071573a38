import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import type { EventEnvelope } from './envelope.ts';

/**
 * W3C trace context rides in the envelope's `traceparent` extension (and so in the
 * `ce_traceparent` Kafka header), so one trace spans request → outbox → broker → consumer.
 * Everything here goes through @opentelemetry/api: with no SDK registered it is a no-op.
 */

/** The active context's traceparent, as the registered propagator writes it; undefined when none. */
export function currentTraceparent(active: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  return carrier.traceparent;
}

/** The context an envelope's traceparent describes (the root context when it carries none). */
export function contextOf(envelope: Pick<EventEnvelope, 'traceparent'>): Context {
  if (!envelope.traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent: envelope.traceparent });
}

const tracer = () => trace.getTracer('voidtracker-events');

/**
 * Runs a consumer's handler inside the producer's trace, as a CONSUMER span named
 * `process <topic>`, so spans the handler starts become its children.
 */
export function withEventTrace<T>(
  envelope: EventEnvelope,
  attributes: { topic: string; group: string; attempt: number },
  work: () => Promise<T>,
): Promise<T> {
  return context.with(contextOf(envelope), () =>
    tracer().startActiveSpan(
      `process ${attributes.topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': attributes.topic,
          'messaging.consumer.group.name': attributes.group,
          'messaging.message.id': envelope.id,
          'cloudevents.event_type': envelope.type,
          'voidtracker.attempt': attributes.attempt,
        },
      },
      async (span) => {
        try {
          return await work();
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          throw error;
        } finally {
          span.end();
        }
      },
    ),
  );
}
