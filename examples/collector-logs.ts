// Exceptions as OTLP log records, sent from the local store: set OTEL_EXPORTER_OTLP_ENDPOINT
// (e.g. http://127.0.0.1:4318, a collector running otel-collector.yaml) and run it. Records the
// collector could not take now stay in the store and go out on the next run; the store is also
// written as OTLP/JSON for the collector's otlpjsonfile receiver (docs/collector.md).
import { dirname, join } from 'node:path';
import { exportOtlpJson, registerErrorInstrumentation } from 'error-insight';

const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
const insight = registerErrorInstrumentation({
  serviceName: 'clips-exporter',
  otlp: endpoint === undefined ? false : { endpoint, exceptionSignal: 'logs' },
});

// Inside a phase span: a log record with the span's trace and span ids.
await insight.logger
  .logErrors({ phase: 'ENCODING', videoHash: '3a7bd3e2f' }, async () => {
    throw new Error('Unknown encoder hevc_nvenc');
  })
  .catch(() => undefined);
// Outside any span: a log record in every mode.
insight.logger.logStructuredError(new Error('upload quota exceeded'), { bucket: 'clips' });

await insight.forceFlush();
const sent = insight.logger.getErrorStats().export;
console.log(
  sent === undefined
    ? 'no collector configured: records kept in the store only'
    : `log records sent: ${sent.sent.logRecords}, waiting in the store: ${sent.durable.pendingRecords}`,
);

const store = insight.logger.storeDir ?? '.error-insight';
const written = await exportOtlpJson({
  source: { store },
  outputFile: join(dirname(store), 'errors.otlp.json'),
});
console.log(`wrote ${written.records} records as ${written.lines} OTLP/JSON line(s) to ${written.file}`);
await insight.shutdown();
