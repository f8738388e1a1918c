import { getHeapSpaceStatistics } from 'node:v8';
import type { Attributes, Meter, ObservableGauge } from '@opentelemetry/api';
import type { ResourceMonitor } from '../resources/resource-monitor.js';

/** Attribute naming the watched path a filesystem gauge is about (store dir, cwd, tmpdir). */
export const ATTR_VOLUME_PATH = 'error_insight.volume.path';

/**
 * Registers observable gauges for process memory and heap, system CPU and memory, and the
 * filesystems of the watched paths, under OpenTelemetry semantic-convention metric names.
 * Process and heap figures are read at collection time (background, cheap); system figures come
 * from the monitor's latest background sample, so a collection never calls systeminformation.
 * Returns a function that unregisters the callback.
 */
export function registerResourceMetrics(meter: Meter, monitor: ResourceMonitor): () => void {
  const g = (name: string, unit: string, description: string): ObservableGauge =>
    meter.createObservableGauge(name, { unit, description });
  const processMemory = g('process.memory.usage', 'By', 'Resident set size of this process.');
  const heapUsed = g('v8js.memory.heap.used', 'By', 'V8 heap memory used, per heap space.');
  const heapLimit = g('v8js.memory.heap.limit', 'By', 'V8 heap memory reserved, per heap space.');
  const processCpu = g(
    'process.cpu.utilization',
    '1',
    'CPU used by this process over the last sample interval.',
  );
  const systemCpu = g('system.cpu.utilization', '1', 'CPU used by the whole system over the last sample.');
  const systemMemory = g('system.memory.usage', 'By', 'System memory in use and free.');
  const systemMemoryUtil = g('system.memory.utilization', '1', 'System memory in use, 0..1.');
  const containerMemory = g('container.memory.usage', 'By', 'Memory charged to this cgroup.');
  const fsUsage = g(
    'system.filesystem.usage',
    'By',
    'Filesystem bytes used and available, per watched path.',
  );
  const fsUtil = g('system.filesystem.utilization', '1', 'Filesystem used, 0..1, per watched path.');
  const loopDelay = g(
    'nodejs.eventloop.delay.p99',
    's',
    'Event-loop delay p99 over the last sample interval.',
  );
  const observables = [
    processMemory,
    heapUsed,
    heapLimit,
    processCpu,
    systemCpu,
    systemMemory,
    systemMemoryUtil,
    containerMemory,
    fsUsage,
    fsUtil,
    loopDelay,
  ];

  const callback = (r: { observe(o: ObservableGauge, v: number, a?: Attributes): void }): void => {
    try {
      r.observe(processMemory, process.memoryUsage.rss());
      for (const s of getHeapSpaceStatistics()) {
        const a = { 'v8js.heap.space.name': s.space_name };
        r.observe(heapUsed, s.space_used_size, a);
        r.observe(heapLimit, s.space_size, a);
      }
    } catch {
      // memoryUsage.rss() can fail under fd exhaustion; the system figures below still count.
    }
    const s = monitor.latest();
    if (s === undefined) return;
    if (s.processCpuUtilization !== undefined) r.observe(processCpu, s.processCpuUtilization);
    if (s.systemCpuUtilization !== undefined) r.observe(systemCpu, s.systemCpuUtilization);
    r.observe(systemMemory, s.memory.used, { 'system.memory.state': 'used' });
    r.observe(systemMemory, s.memory.available, { 'system.memory.state': 'free' });
    if (s.memory.total > 0) {
      r.observe(systemMemoryUtil, s.memory.used / s.memory.total, { 'system.memory.state': 'used' });
    }
    if (s.container?.memoryUsage !== undefined) r.observe(containerMemory, s.container.memoryUsage);
    for (const v of s.volumes) {
      const used = v.total - v.available;
      r.observe(fsUsage, used, { [ATTR_VOLUME_PATH]: v.path, 'system.filesystem.state': 'used' });
      r.observe(fsUsage, v.available, { [ATTR_VOLUME_PATH]: v.path, 'system.filesystem.state': 'free' });
      if (v.total > 0) r.observe(fsUtil, used / v.total, { [ATTR_VOLUME_PATH]: v.path });
    }
    if (s.eventLoopDelay !== undefined) r.observe(loopDelay, s.eventLoopDelay.p99 / 1000);
  };
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}
