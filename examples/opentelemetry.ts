// error-insight as an OpenTelemetry plugin: one call at start-up, then any exception recorded
// on a span — by your code or by another instrumentation — becomes an enriched, fingerprinted
// event and a record in the local store. Set OTEL_EXPORTER_OTLP_ENDPOINT (e.g.
// http://127.0.0.1:4318) to send spans and metrics to a collector; without it nothing leaves.
import { open } from 'node:fs/promises';
import { registerErrorInstrumentation } from 'error-insight';

const insight = registerErrorInstrumentation({ serviceName: 'clips-exporter' });

await insight.tracer.startActiveSpan('RENDERING', async (span) => {
  span.setAttribute('error_insight.video.hash', '3a7bd3e2f');
  try {
    await open('/nonexistent/render/3a7bd3e2f/frame-000120.png');
  } catch (e) {
    // The stock call: error-insight intercepts it and records the real class, code and cause.
    span.recordException(e as Error);
  } finally {
    span.end();
  }
});

const stats = insight.logger.getErrorStats();
console.log(
  `recorded ${stats.totalErrors} error(s); top: ${stats.mostFrequent[0]?.type} ${stats.mostFrequent[0]?.message}`,
);
console.log(`store: ${insight.logger.storeDir}`);
await insight.shutdown();
