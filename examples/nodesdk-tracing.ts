// The NodeSDK route: error-insight as one span processor in your own OpenTelemetry setup. Load
// this file before the app so the instrumentations are in place before the app imports `http`:
//
//   ESM:       node --import ./tracing.js app.js
//   CommonJS:  node -r ./tracing.cjs app.js        (see docs/nodesdk.md)
//
// Records carry the service name given here, and `service.version` / `deployment.environment.name`
// from OTEL_RESOURCE_ATTRIBUTES, as the SDK's resource does. Constructing the processor creates
// the default logger, which watches for crashes from then on.
import { register } from 'node:module';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ErrorInsightSpanProcessor } from 'error-insight';

// ES modules are instrumented through a loader hook (import-in-the-middle); without it an ESM
// app's `import http from 'node:http'` is never patched and its requests have no spans.
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const sdk = new NodeSDK({
  serviceName: 'clips-api',
  // Add `new BatchSpanProcessor(new OTLPTraceExporter())` here to send spans to a collector.
  spanProcessors: [new ErrorInsightSpanProcessor()],
  instrumentations: [new HttpInstrumentation()],
  // No collector in this example: no metric or log exporters aimed at one.
  metricReaders: [],
  logRecordProcessors: [],
});
sdk.start();

process.once('SIGTERM', () => {
  void sdk.shutdown().finally(() => process.exit(0));
});
