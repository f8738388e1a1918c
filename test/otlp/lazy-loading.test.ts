import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runProcess } from '../helpers/run-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startReceiver } from './otlp-receiver.js';

const fixture = fileURLToPath(new URL('./fixtures/loaded-packages.mjs', import.meta.url));
const OTLP_PACKAGES = [
  '@opentelemetry/otlp-exporter-base',
  '@opentelemetry/otlp-transformer',
  '@opentelemetry/sdk-logs',
  '@opentelemetry/api-logs',
];
const EXPORT_ONLY = [...OTLP_PACKAGES, '@opentelemetry/sdk-metrics'];

interface Loaded {
  afterRegister: string[];
  afterExport: string[];
}

async function loaded(args: string[]): Promise<Loaded> {
  const result = await runProcess(process.execPath, [fixture, ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Loaded;
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe('what registration loads', () => {
  it('with OTLP off loads no exporter, transformer or metrics SDK, only the tracing SDK', async () => {
    const { afterRegister } = await loaded([await tempDir()]);
    expect(afterRegister).toContain('@opentelemetry/sdk-trace-node');
    expect(afterRegister.filter((p) => EXPORT_ONLY.includes(p) || p.includes('exporter'))).toEqual([]);
  });

  it('with an endpoint loads the metrics SDK at once and the OTLP and log SDK modules after registration, by the first export', async () => {
    const receiver = await startReceiver();
    cleanup.push(receiver.close);
    const { afterRegister, afterExport } = await loaded([await tempDir(), receiver.url]);
    expect(afterRegister).toContain('@opentelemetry/sdk-metrics');
    expect(afterRegister.filter((p) => OTLP_PACKAGES.includes(p))).toEqual([]);
    expect(afterExport).toEqual(expect.arrayContaining(OTLP_PACKAGES));
    expect(receiver.requests.some((r) => r.path === '/v1/traces')).toBe(true);
    expect(receiver.requests.some((r) => r.path === '/v1/logs')).toBe(true);
  });
});
