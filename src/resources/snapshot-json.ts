import type { JsonObject } from '../record.js';
import type { ResourceSnapshot } from './resource-snapshot.js';
import { round4 } from './volume-watcher.js';

/**
 * The part of `record.resources` that depends only on the background sample, built once per
 * sample so the error path only copies it. Keys are OpenTelemetry semantic-convention metric
 * names where one exists; docs/resources.md lists them.
 */
export function snapshotJson(s: ResourceSnapshot): JsonObject {
  const out: JsonObject = { degraded: s.degraded };
  if (s.degradedReason !== undefined) out.degraded_reason = s.degradedReason;
  if (s.systemCpuUtilization !== undefined) out['system.cpu.utilization'] = round4(s.systemCpuUtilization);
  if (s.processCpuUtilization !== undefined) out['process.cpu.utilization'] = round4(s.processCpuUtilization);
  out['system.cpu.load_average'] = s.loadAverage.map(round4);
  const m = s.memory;
  out['system.memory.limit'] = m.total;
  out['system.memory.usage'] = m.used;
  out['system.memory.linux.available'] = m.available;
  out['system.memory.utilization'] = m.total > 0 ? round4(m.used / m.total) : 0;
  if (m.swapTotal !== undefined && m.swapTotal > 0) {
    out['system.paging.usage'] = m.swapUsed ?? 0;
    out['system.paging.utilization'] = round4((m.swapUsed ?? 0) / m.swapTotal);
  }
  const c = s.container;
  if (c !== undefined) {
    if (c.memoryLimit !== undefined) out['container.memory.limit'] = c.memoryLimit;
    if (c.memoryUsage !== undefined) out['container.memory.usage'] = c.memoryUsage;
    const usage = c.memoryUsage ?? s.process.rss;
    if (c.memoryLimit !== undefined) out['container.memory.utilization'] = round4(usage / c.memoryLimit);
    if (c.cpuLimit !== undefined) out['container.cpu.limit'] = c.cpuLimit;
  }
  out['process.memory.usage'] = s.process.rss;
  const d = s.eventLoopDelay;
  if (d !== undefined) {
    out['nodejs.eventloop.delay.p50'] = d.p50;
    out['nodejs.eventloop.delay.p99'] = d.p99;
    out['nodejs.eventloop.delay.max'] = d.max;
  }
  return out;
}
