import type { JsonObject, JsonValue } from '../record.js';

/** Saturation of the resources a record's `resources` snapshot names, each 0..1. */
export interface ResourceSaturation {
  cpu?: number;
  memory?: number;
  disk?: number;
}

function ratio(v: JsonValue | undefined): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return undefined;
  // Some producers write percentages.
  return v > 1 ? (v <= 100 ? v / 100 : undefined) : v;
}

function nested(o: JsonObject, a: string, b: string): JsonValue | undefined {
  const inner = o[a];
  return inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? inner[b] : undefined;
}

function max(...xs: Array<number | undefined>): number | undefined {
  let m: number | undefined;
  for (const x of xs) if (x !== undefined && (m === undefined || x > m)) m = x;
  return m;
}

/**
 * Reads CPU, memory and disk saturation from `record.resources`, defensively: the OpenTelemetry
 * metric names the resource monitor writes (`system.cpu.utilization`, `container.memory.utilization`,
 * `volumes[].system.filesystem.utilization`) and nested shapes (`cpu.system`, `disk.usedRatio`).
 * Anything missing or not a number is left out; never throws.
 */
export function readResourceSaturation(resources: JsonObject | undefined): ResourceSaturation {
  const out: ResourceSaturation = {};
  if (resources === undefined || resources === null || typeof resources !== 'object') return out;
  const cpu = max(
    ratio(resources['system.cpu.utilization']),
    ratio(resources['process.cpu.utilization']),
    ratio(nested(resources, 'cpu', 'system')),
    ratio(nested(resources, 'cpu', 'utilization')),
  );
  const memory = max(
    ratio(resources['system.memory.utilization']),
    ratio(resources['container.memory.utilization']),
    ratio(nested(resources, 'memory', 'usedRatio')),
  );
  let disk = max(
    ratio(nested(resources, 'disk', 'usedRatio')),
    ratio(resources['system.filesystem.utilization']),
  );
  const volumes = resources.volumes;
  if (Array.isArray(volumes)) {
    for (const v of volumes) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        disk = max(disk, ratio(v['system.filesystem.utilization']), ratio(v.usedRatio));
      }
    }
  }
  if (cpu !== undefined) out.cpu = cpu;
  if (memory !== undefined) out.memory = memory;
  if (disk !== undefined) out.disk = disk;
  return out;
}
