import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type Context,
  type ContextManager,
  type TextMapPropagator,
} from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBusTransport } from './bus-transport.ts';
import { fromWireMessage, toWireMessage } from './envelope.ts';
import { eventually, OrderCreated, ORG } from './testing/test-support.ts';
import { contextOf, currentTraceparent } from './trace.ts';

/** A minimal W3C traceparent propagator, standing in for the SDK's. */
const w3c: TextMapPropagator = {
  inject(ctx, carrier, setter) {
    const span = trace.getSpanContext(ctx);
    if (!span) return;
    setter.set(carrier, 'traceparent', `00-${span.traceId}-${span.spanId}-0${span.traceFlags}`);
  },
  extract(ctx, carrier, getter) {
    const value = getter.get(carrier, 'traceparent');
    const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(String(value ?? ''));
    if (!m) return ctx;
    return trace.setSpanContext(ctx, { traceId: m[1]!, spanId: m[2]!, traceFlags: Number.parseInt(m[3]!, 16), isRemote: true });
  },
  fields: () => ['traceparent'],
};

/** A stack-based context manager: enough for synchronous reads at the start of a callback. */
function stackContextManager(): ContextManager {
  const stack: Context[] = [];
  return {
    active: () => stack[stack.length - 1] ?? ROOT_CONTEXT,
    with(ctx, fn, thisArg, ...args) {
      stack.push(ctx);
      try {
        return fn.call(thisArg, ...args);
      } finally {
        stack.pop();
      }
    },
    bind: (_ctx, target) => target,
    enable() {
      return this;
    },
    disable() {
      return this;
    },
  };
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const requestContext = () =>
  trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });

describe('trace context through events', () => {
  it('given no propagator registered (no SDK), when an event is created, then it carries no traceparent and nothing breaks', () => {
    const e = OrderCreated.create({ orderId: 'o', seq: 0 }, { subject: 'o', orgId: ORG });
    expect(e.traceparent).toBeUndefined();
    expect(currentTraceparent()).toBeUndefined();
  });

  it('given an explicit traceparent, when it crosses the wire, then it comes back unchanged', () => {
    const traceparent = `00-${TRACE_ID}-${SPAN_ID}-01`;
    const e = OrderCreated.create({ orderId: 'o', seq: 0 }, { subject: 'o', orgId: ORG, traceparent });
    const wire = toWireMessage(e);
    expect(wire.headers.ce_traceparent).toBe(traceparent);
    expect(fromWireMessage(wire).traceparent).toBe(traceparent);
  });

  describe('with a W3C propagator and a context manager registered', () => {
    beforeEach(() => {
      context.setGlobalContextManager(stackContextManager());
      propagation.setGlobalPropagator(w3c);
    });
    afterEach(() => {
      propagation.disable();
      context.disable();
    });

    it('given a request span, when an event is created, then its traceparent names that span', () => {
      const e = context.with(requestContext(), () =>
        OrderCreated.create({ orderId: 'o', seq: 0 }, { subject: 'o', orgId: ORG }),
      );
      expect(e.traceparent).toBe(`00-${TRACE_ID}-${SPAN_ID}-01`);
      expect(trace.getSpanContext(contextOf(e))).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, isRemote: true });
    });

    it('given an event created in a request, when a consumer handles it, then the handler runs in the same trace', async () => {
      // Given
      const bus = createBusTransport();
      const seenTraceIds: Array<string | undefined> = [];
      await bus.subscribe({
        group: 'g',
        topics: ['voidtracker.orders'],
        handle: async () => void seenTraceIds.push(trace.getSpanContext(context.active())?.traceId),
      });
      const e = context.with(requestContext(), () =>
        OrderCreated.create({ orderId: 'o', seq: 0 }, { subject: 'o', orgId: ORG }),
      );

      // When
      await bus.publish('voidtracker.orders', [{ envelope: e }]);

      // Then
      await eventually('delivery', () => seenTraceIds.length === 1);
      expect(seenTraceIds).toEqual([TRACE_ID]);
      await bus.close();
    });
  });
});
