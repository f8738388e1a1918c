import { afterEach, describe, expect, it } from 'vitest';
import { readEnvConfig } from '../../src/config/env.js';
import { setDiagnosticWriter } from '../../src/diag/diagnostics.js';
import { selectTracesExporters, withTracesExporters } from '../../src/otlp/traces-exporter-selection.js';

const lines: string[] = [];
afterEach(() => {
  setDiagnosticWriter();
  lines.length = 0;
});

function select(value: string | undefined) {
  setDiagnosticWriter((line) => lines.push(line));
  return selectTracesExporters(readEnvConfig({ OTEL_TRACES_EXPORTER: value }).tracesExporters);
}

describe('OTEL_TRACES_EXPORTER', () => {
  it('keeps OTLP conditional on a configured endpoint when the variable is unset or blank', () => {
    expect(select(undefined)).toEqual({ otlp: 'when-configured', console: false });
    expect(select('  ')).toEqual({ otlp: 'when-configured', console: false });
    expect(select(' , ')).toEqual({ otlp: 'when-configured', console: false });
    expect(lines).toEqual([]);
  });

  it('asks for OTLP even without an endpoint when otlp is listed', () => {
    expect(select('otlp')).toEqual({ otlp: 'always', console: false });
  });

  it('reads a comma list with spaces and duplicates as the SDK does', () => {
    expect(select(' console , otlp,console ')).toEqual({ otlp: 'always', console: true });
    expect(select('console')).toEqual({ otlp: 'off', console: true });
    expect(lines).toEqual([]);
  });

  it('turns trace export off when none comes first, silently', () => {
    expect(select('none')).toEqual({ otlp: 'off', console: false });
    expect(select('null,none')).toEqual({ otlp: 'off', console: false });
    expect(lines).toEqual([]);
  });

  it('falls back to the default with one warning when none is mixed with other exporters', () => {
    expect(select('console,none')).toEqual({ otlp: 'when-configured', console: false });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"none" along with other exporters');
  });

  it('warns once per unknown name and keeps the known ones', () => {
    expect(select('zipkin,console,jaeger')).toEqual({ otlp: 'off', console: true });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('"zipkin" is not supported');
    expect(lines[1]).toContain('"jaeger" is not supported');
  });

  it('says that nothing is exported when no listed name is supported', () => {
    expect(select('zipkin')).toEqual({ otlp: 'off', console: false });
    expect(lines.at(-1)).toContain('names no supported exporter');
  });

  it('keeps names as written, since the SDK does not lower-case them', () => {
    expect(select('OTLP')).toEqual({ otlp: 'off', console: false });
    expect(lines[0]).toContain('"OTLP" is not supported');
  });
});

describe('the traces endpoint after the selection', () => {
  const configured = readEnvConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' });
  const bare = readEnvConfig({});

  it('is the SDK default when otlp is listed and none is configured', () => {
    const env = withTracesExporters(bare, selectTracesExporters(['otlp']));
    expect(env.otlpTracesEndpoint).toBe('http://localhost:4318/v1/traces');
    expect(env.otlpMetricsEndpoint).toBeUndefined();
  });

  it('stays the configured one when otlp is listed', () => {
    expect(withTracesExporters(configured, selectTracesExporters(['otlp'])).otlpTracesEndpoint).toBe(
      'http://127.0.0.1:4318/v1/traces',
    );
  });

  it('is gone with none while metrics keep theirs', () => {
    const env = withTracesExporters(configured, selectTracesExporters(['none']));
    expect(env.otlpTracesEndpoint).toBeUndefined();
    expect(env.otlpMetricsEndpoint).toBe('http://127.0.0.1:4318/v1/metrics');
  });

  it('is untouched, and absent without configuration, when the variable is unset', () => {
    expect(withTracesExporters(bare, selectTracesExporters(undefined)).otlpTracesEndpoint).toBeUndefined();
    expect(withTracesExporters(configured, selectTracesExporters(undefined))).toBe(configured);
  });
});
