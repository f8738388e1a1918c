import { freemem, loadavg, totalmem } from 'node:os';
import { getHeapSpaceStatistics } from 'node:v8';
import type { JsonObject } from '../record.js';
import type { ResourceSnapshot } from './resource-snapshot.js';

/** process.memoryUsage(), or as much of it as the process can still read. */
export function safeMemoryUsage(): ResourceSnapshot['process'] {
  try {
    const m = process.memoryUsage();
    return {
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
    };
  } catch {
    // memoryUsage() throws EMFILE when descriptors run out (winston#312); rss() reads no file table.
    let rss = 0;
    try {
      rss = process.memoryUsage.rss();
    } catch {}
    return { rss, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  }
}

/** System memory from `os`, when the memory source failed. */
export function osSystemMemory(): ResourceSnapshot['memory'] {
  const total = totalmem();
  const free = freemem();
  return { total, used: total - free, available: free, free };
}

/** The least a sample can say, from `os` and `process` alone, when sampling itself failed. */
export function osFallbackSnapshot(at: number, reason: string): ResourceSnapshot {
  return {
    at,
    degraded: true,
    degradedReason: reason,
    loadAverage: loadavg() as [number, number, number],
    memory: osSystemMemory(),
    process: safeMemoryUsage(),
    volumes: [],
  };
}

/** Light mode: V8 heap-space statistics only (≈0.6 µs), keyed by space name. */
export function lightResources(): JsonObject {
  const used: JsonObject = {};
  const size: JsonObject = {};
  for (const s of getHeapSpaceStatistics()) {
    if (s.space_size === 0) continue;
    used[s.space_name] = s.space_used_size;
    size[s.space_name] = s.space_size;
  }
  return { mode: 'light', 'v8js.memory.heap.used': used, 'v8js.memory.heap.space.size': size };
}
