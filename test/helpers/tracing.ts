import { context, propagation, type Tracer, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { ExportLogger } from '../../src/logger/export-logger.js';
import { ErrorInsightSpanProcessor } from '../../src/processor/error-insight-span-processor.js';

/** A real tracer provider with error-insight's processor and an in-memory exporter, registered globally. */
export function tracing(logger: ExportLogger): {
  provider: NodeTracerProvider;
  exporter: InMemorySpanExporter;
  close: () => Promise<void>;
} {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    spanProcessors: [new ErrorInsightSpanProcessor({ logger }), new SimpleSpanProcessor(exporter)],
  });
  provider.register();
  return {
    provider,
    exporter,
    close: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/**
 * Records `Error('frame <i> failed')` on a `RENDERING` span. The throw site is the same on every
 * call, so every error has the same fingerprint and frames.
 */
export function failRendering(tracer: Tracer, i: number): void {
  tracer.startActiveSpan('RENDERING', (span) => {
    try {
      throw new Error(`frame ${i} failed`);
    } catch (e) {
      span.recordException(e as Error);
    }
    span.end();
  });
}
