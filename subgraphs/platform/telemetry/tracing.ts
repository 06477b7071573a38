import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import type { Config } from '../config.ts';

export interface Tracing {
  /** Sends what is buffered (tests, shutdown). */
  flush(): Promise<void>;
  /** Flushes, then unregisters, so the process goes back to the no-op API. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** `service.name` of every span this process makes (the embedded graph is one process). */
  serviceName: string;
  /** Extra exporters, sent span by span (tests hand in an in-memory one). */
  exporters?: SpanExporter[];
}

let active: Tracing | undefined;

/**
 * Registers the OpenTelemetry SDK for this process when there is somewhere to send spans: the
 * OTLP/HTTP endpoint of the configuration, or exporters handed in. Without either nothing is
 * registered and @opentelemetry/api stays a no-op, so tracing costs nothing when it is off.
 * Spans come from the kernel's HTTP server (one SERVER span per request, continuing the
 * caller's traceparent), Apollo Gateway's own query-plan and fetch spans, Prisma (every query
 * to the database), and the event kernel (a CONSUMER span per delivery, continuing the trace
 * the producing request started). One registration per process; a second call returns the first.
 */
export function startTracing(config: Config, options: TracingOptions): Tracing | undefined {
  if (active) return active;
  const processors: SpanProcessor[] = [];
  if (config.telemetry.otlpEndpoint) {
    const exporter = new OTLPTraceExporter({ url: new URL('/v1/traces', config.telemetry.otlpEndpoint).toString() });
    processors.push(new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1_000 }));
  }
  for (const exporter of options.exporters ?? []) processors.push(new SimpleSpanProcessor(exporter));
  if (!processors.length) return undefined;

  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: config.telemetry.serviceName ?? options.serviceName,
      [ATTR_SERVICE_VERSION]: process.env.npm_package_version ?? '0.1.0',
      'deployment.environment.name': config.env,
    }),
    spanProcessors: processors,
  });
  // Also installs the AsyncLocalStorage context manager and the W3C trace-context propagator.
  provider.register();
  const prisma = new PrismaInstrumentation();
  prisma.setTracerProvider(provider);
  prisma.enable();

  const tracing: Tracing = {
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      prisma.disable();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      if (active === tracing) active = undefined;
    },
  };
  active = tracing;
  return tracing;
}
