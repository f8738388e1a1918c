import { ConsoleSpanExporter, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { EnvConfig } from '../config/env.js';
import { reportOnce } from '../diag/diagnostics.js';

/** The trace exporters `OTEL_TRACES_EXPORTER` asks for. */
export interface TracesExporterSelection {
  /**
   * `'when-configured'`: the variable is unset, so OTLP runs only when an endpoint is configured
   * (no collector, no connection errors); `'always'`: `otlp` is listed, so the SDK's default
   * endpoint is used when none is configured; `'off'`: `none`, or nothing usable listed.
   */
  otlp: 'when-configured' | 'always' | 'off';
  /** `console` is listed: every span is printed on stdout as it ends. */
  console: boolean;
}

/** Where the OpenTelemetry SDK sends OTLP/HTTP traces when `otlp` is asked for without an endpoint. */
export const DEFAULT_OTLP_TRACES_URL = 'http://localhost:4318/v1/traces';

const DEFAULT_SELECTION: TracesExporterSelection = { otlp: 'when-configured', console: false };

/**
 * Reads the list the way the OpenTelemetry Node SDK does (`getSpanProcessorsFromEnv`): `null`
 * entries are skipped, `none` first turns trace export off, `none` beside other names is a
 * mistake that falls back to the default, unknown names are warned about and skipped.
 */
export function selectTracesExporters(names: readonly string[] | undefined): TracesExporterSelection {
  const list = (names ?? []).filter((name) => name !== 'null');
  if (list.length === 0) return DEFAULT_SELECTION;
  if (list[0] === 'none') return { otlp: 'off', console: false };
  if (list.includes('none')) {
    reportOnce(
      'traces-exporter-none-mixed',
      'OTEL_TRACES_EXPORTER lists "none" along with other exporters; using the default (OTLP when an endpoint is configured)',
    );
    return DEFAULT_SELECTION;
  }
  const selection: TracesExporterSelection = { otlp: 'off', console: false };
  for (const name of list) {
    if (name === 'otlp') selection.otlp = 'always';
    else if (name === 'console') selection.console = true;
    else {
      reportOnce(
        `traces-exporter-unknown:${name}`,
        `OTEL_TRACES_EXPORTER value ${JSON.stringify(name)} is not supported (use otlp, console or none); ignored`,
      );
    }
  }
  if (selection.otlp === 'off' && !selection.console) {
    reportOnce(
      'traces-exporter-empty',
      'OTEL_TRACES_EXPORTER names no supported exporter; spans are not exported (records stay in the store)',
    );
  }
  return selection;
}

/**
 * The environment as the OTLP settings read it once the selection is applied: no traces
 * endpoint with `otlp` off, the SDK's default one with `otlp` listed and none set. An
 * `otlp.endpoint` given in code still replaces it, as a `traceExporter` given to `NodeSDK`
 * replaces the variable.
 */
export function withTracesExporters(env: EnvConfig, selection: TracesExporterSelection): EnvConfig {
  if (selection.otlp === 'off') return { ...env, otlpTracesEndpoint: undefined };
  if (selection.otlp === 'always' && env.otlpTracesEndpoint === undefined)
    return { ...env, otlpTracesEndpoint: DEFAULT_OTLP_TRACES_URL };
  return env;
}

/** The span processor `console` asks for: each span printed as it ends (the SDK does not batch these either). */
export function consoleSpanProcessors(selection: TracesExporterSelection): SpanProcessor[] {
  return selection.console ? [new SimpleSpanProcessor(new ConsoleSpanExporter())] : [];
}
