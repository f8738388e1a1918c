import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AggregationTemporality,
  type GaugeMetricData,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ATTR_VOLUME_PATH, registerResourceMetrics } from '../../src/metrics/resource-metrics.js';
import { ResourceMonitor } from '../../src/resources/resource-monitor.js';
import { fakeCpuTimes, fakeStatfs, fakeSystemInformation } from '../resources/fake-system-information.js';

let dir: string;
let provider: MeterProvider;
let exporter: InMemoryMetricExporter;
let reader: PeriodicExportingMetricReader;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ei-metrics-'));
  exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // A long interval: the test collects explicitly with forceFlush().
  reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  provider = new MeterProvider({ readers: [reader] });
});
afterEach(async () => {
  await provider.shutdown();
  await rm(dir, { recursive: true, force: true });
});

function monitorWithFigures(): ResourceMonitor {
  return new ResourceMonitor(
    { volumes: [dir] },
    {
      loadSystemInformation: async () => fakeSystemInformation({ total: 8_000, available: 2_000 }).port,
      cpuTimes: fakeCpuTimes(0.4),
      cgroup: { root: join(dir, 'none'), selfCgroup: join(dir, 'none') },
      statfs: fakeStatfs(250).statfs,
    },
  );
}

async function collected(): Promise<Map<string, GaugeMetricData>> {
  await reader.forceFlush();
  const out = new Map<string, GaugeMetricData>();
  for (const rm of exporter.getMetrics()) {
    for (const sm of rm.scopeMetrics)
      for (const m of sm.metrics as MetricData[]) out.set(m.descriptor.name, m as GaugeMetricData);
  }
  return out;
}

function point(m: GaugeMetricData | undefined, attrs: Record<string, string> = {}): number | undefined {
  const p = m?.dataPoints.find((d) => Object.entries(attrs).every(([k, v]) => d.attributes[k] === v));
  return p?.value as number | undefined;
}

describe('registerResourceMetrics', () => {
  it('exports the latest sample as semantic-convention gauges', async () => {
    const monitor = monitorWithFigures();
    await monitor.sample();
    registerResourceMetrics(provider.getMeter('error-insight'), monitor);
    const m = await collected();
    expect(point(m.get('system.cpu.utilization'))).toBe(0.4);
    expect(point(m.get('system.memory.utilization'), { 'system.memory.state': 'used' })).toBe(0.75);
    expect(point(m.get('system.memory.usage'), { 'system.memory.state': 'used' })).toBe(6_000);
    expect(point(m.get('system.memory.usage'), { 'system.memory.state': 'free' })).toBe(2_000);
    expect(point(m.get('system.filesystem.utilization'), { [ATTR_VOLUME_PATH]: dir })).toBe(0.75);
    expect(
      point(m.get('system.filesystem.usage'), { [ATTR_VOLUME_PATH]: dir, 'system.filesystem.state': 'free' }),
    ).toBe(1_024_000);
    expect(m.get('system.memory.usage')?.descriptor.unit).toBe('By');
  });

  it('reads process memory and V8 heap spaces at collection time, even before the first sample', async () => {
    registerResourceMetrics(provider.getMeter('error-insight'), monitorWithFigures());
    const m = await collected();
    expect(point(m.get('process.memory.usage'))).toBeGreaterThan(1_000_000);
    const used = point(m.get('v8js.memory.heap.used'), { 'v8js.heap.space.name': 'old_space' });
    const limit = point(m.get('v8js.memory.heap.limit'), { 'v8js.heap.space.name': 'old_space' });
    expect(used).toBeGreaterThan(0);
    expect(limit).toBeGreaterThanOrEqual(used as number);
    expect(m.has('system.cpu.utilization')).toBe(false);
  });

  it('stops observing after the returned unregister function runs', async () => {
    const unregister = registerResourceMetrics(provider.getMeter('error-insight'), monitorWithFigures());
    unregister();
    const m = await collected();
    expect(m.get('process.memory.usage')?.dataPoints ?? []).toEqual([]);
  });
});
