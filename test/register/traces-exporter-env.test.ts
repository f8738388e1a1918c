import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type ProcessResult, runNode } from '../helpers/run-process.js';
import { readStoreLines } from '../helpers/store-lines.js';
import { tempDir } from '../helpers/temp-dir.js';
import { type Receiver, startReceiver, tracesOf } from '../otlp/otlp-receiver.js';

const fixture = fileURLToPath(new URL('../otlp/fixtures/traces-exporter-env.mjs', import.meta.url));

/** Runs the fixture with only the given OTEL_* variables (the parent's are left out). */
function runWith(env: Record<string, string>, dir: string, otlp?: unknown): Promise<ProcessResult> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
  const args = otlp === undefined ? [dir] : [dir, JSON.stringify(otlp)];
  return runNode(fixture, args, { env: { ...base, ...env } });
}

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

function spanNames(r: Receiver): string[] {
  return r.requests
    .filter((q) => q.path === '/v1/traces')
    .flatMap((q) =>
      tracesOf(q).resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name))),
    );
}

describe('registerErrorInstrumentation and OTEL_TRACES_EXPORTER', () => {
  it('prints each span on stdout with console and still stores the record', async () => {
    const dir = await tempDir();
    const run = await runWith({ OTEL_TRACES_EXPORTER: 'console' }, dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("name: 'ENCODING'");
    expect(run.stdout).toContain("'exception.message': 'Unknown encoder hevc_nvenc'");
    const records = await readStoreLines(dir);
    expect(records.map((r) => r.exception.message)).toEqual(['Unknown encoder hevc_nvenc']);
  });

  it('sends nothing to a configured collector with none, and the store keeps the record', async () => {
    receiver = await startReceiver();
    const dir = await tempDir();
    const run = await runWith(
      { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      dir,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(receiver.requests.filter((q) => q.path === '/v1/traces')).toHaveLength(0);
    expect(await readStoreLines(dir)).toHaveLength(1);
  });

  it('exports over OTLP and prints on stdout with "otlp, console"', async () => {
    receiver = await startReceiver();
    const dir = await tempDir();
    const run = await runWith(
      { OTEL_TRACES_EXPORTER: 'otlp, console', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      dir,
    );
    expect(run.code).toBe(0);
    expect(spanNames(receiver)).toEqual(['ENCODING']);
    expect(run.stdout).toContain("name: 'ENCODING'");
  });

  it('exports over OTLP when otlp is listed and an endpoint is configured, printing nothing', async () => {
    receiver = await startReceiver();
    const dir = await tempDir();
    const run = await runWith(
      { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces` },
      dir,
    );
    expect(run.code).toBe(0);
    expect(spanNames(receiver)).toEqual(['ENCODING']);
    expect(run.stdout).toBe('');
  });

  it('warns once on stderr about an unsupported name and exports no spans, as the SDK does', async () => {
    receiver = await startReceiver();
    const dir = await tempDir();
    const run = await runWith(
      { OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      dir,
    );
    expect(run.code).toBe(0);
    expect(run.stderr.match(/"zipkin" is not supported/g)).toHaveLength(1);
    // As with the SDK, a list with nothing usable exports no spans.
    expect(spanNames(receiver)).toEqual([]);
    expect(await readStoreLines(dir)).toHaveLength(1);
  });

  it('lets an endpoint given in code win over none, as NodeSDK lets a traceExporter win', async () => {
    receiver = await startReceiver();
    const dir = await tempDir();
    const run = await runWith({ OTEL_TRACES_EXPORTER: 'none' }, dir, { endpoint: receiver.url });
    expect(run.code).toBe(0);
    expect(spanNames(receiver)).toEqual(['ENCODING']);
  });

  it('turns OTLP off with otlp: false in code while a listed console still prints', async () => {
    receiver = await startReceiver();
    const dir = await tempDir();
    const run = await runWith(
      { OTEL_TRACES_EXPORTER: 'otlp,console', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      dir,
      false,
    );
    expect(run.code).toBe(0);
    expect(receiver.requests).toHaveLength(0);
    expect(run.stdout).toContain("name: 'ENCODING'");
  });
});
