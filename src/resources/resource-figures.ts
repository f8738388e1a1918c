import type { JsonObject, JsonValue } from '../record.js';

/**
 * Readers for the figures reports and alerts want out of a `record.resources` object, so that
 * only this module knows its key names (docs/resources.md lists them).
 */

function ratio(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Highest filesystem utilization (0..1) over the watched volumes. */
export function diskUtilization(resources: JsonObject | undefined): number | undefined {
  const volumes = resources?.volumes;
  if (!Array.isArray(volumes)) return undefined;
  let worst: number | undefined;
  for (const v of volumes) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) continue;
    const r = ratio(v['system.filesystem.utilization']);
    if (r !== undefined && (worst === undefined || r > worst)) worst = r;
  }
  return worst;
}

/** System memory in use (0..1): total − available over total. */
export function systemMemoryUtilization(resources: JsonObject | undefined): number | undefined {
  return ratio(resources?.['system.memory.utilization']);
}

/** Memory in use against the container's limit (0..1), when the process runs under one. */
export function containerMemoryUtilization(resources: JsonObject | undefined): number | undefined {
  return ratio(resources?.['container.memory.utilization']);
}

/** Whether the figures came from the `os` fallback rather than the memory source. */
export function isDegraded(resources: JsonObject | undefined): boolean {
  return resources?.degraded === true;
}
