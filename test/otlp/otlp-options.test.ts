import { describe, expect, it } from 'vitest';
import { registerErrorInstrumentation } from '../../src/register.js';

const register = (otlp: unknown) => () =>
  registerErrorInstrumentation({ otlp: otlp as { endpoint: string }, store: false, resources: false });

function withEnv(name: string, value: string, work: () => void): void {
  const before = process.env[name];
  process.env[name] = value;
  try {
    work();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

describe('OTLP options are checked at the call', () => {
  it('refuses otlp.url and says to give the base URL as otlp.endpoint', () => {
    expect(register({ url: 'http://127.0.0.1:4318/v1/traces' })).toThrow(
      'error-insight: otlp.url is not an option; give the collector base URL as otlp.endpoint (e.g. http://127.0.0.1:4318): /v1/traces, /v1/metrics and /v1/logs are added to it',
    );
  });

  it('refuses an endpoint that is not http(s), naming the scheme but never the URL', () => {
    expect(register({ endpoint: 'grpc://user:secret-PLANTED@collector:4317' })).toThrow(
      /otlp\.endpoint must be an http:\/\/ or https:\/\/ URL \(OTLP\/HTTP; gRPC is not supported\), got a grpc: URL/,
    );
    try {
      register({ endpoint: 'grpc://user:secret-PLANTED@collector:4317' })();
    } catch (err) {
      expect(String(err)).not.toContain('secret-PLANTED');
    }
    expect(register({ endpoint: 'collector:4318' })).toThrow(TypeError);
  });

  it('refuses a bad endpoint from the environment, naming the variable', () => {
    withEnv('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', 'not a url', () => {
      expect(register({})).toThrow(
        /OTEL_EXPORTER_OTLP_LOGS_ENDPOINT \(or OTEL_EXPORTER_OTLP_ENDPOINT\) is not a valid URL/,
      );
    });
    withEnv('OTEL_EXPORTER_OTLP_ENDPOINT', 'ftp://collector', () => {
      expect(register({})).toThrow(
        /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT .* must be an http:\/\/ or https:\/\/ URL/,
      );
    });
  });

  it('refuses bad values of every other option', () => {
    const endpoint = 'http://127.0.0.1:4318';
    expect(register([])).toThrow('error-insight: otlp must be an options object or false');
    expect(register({ endpoint, headers: { 'bad name': 'x' } })).toThrow(/invalid header name "bad name"/);
    expect(register({ endpoint, headers: { 'x-key': 7 } })).toThrow(
      /otlp\.headers must be an object of string values/,
    );
    expect(register({ endpoint, timeoutMillis: -5 })).toThrow(
      /otlp\.timeoutMillis must be a positive number/,
    );
    expect(register({ endpoint, metricIntervalMillis: Number.NaN })).toThrow(/otlp\.metricIntervalMillis/);
    expect(register({ endpoint, protocol: 'grpc' })).toThrow(
      /otlp\.protocol must be one of http\/protobuf, http\/json/,
    );
    expect(register({ endpoint, exceptionSignal: 'events' })).toThrow(
      'error-insight: otlp.exceptionSignal must be one of span-events, logs, both, got "events"',
    );
    expect(register({ endpoint, durable: 'yes' })).toThrow('error-insight: otlp.durable must be a boolean');
    expect(register({ endpoint, compression: 'gzip' })).toThrow(/unknown otlp option "compression"/);
  });
});
