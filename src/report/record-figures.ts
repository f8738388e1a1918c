/**
 * Figures the report reads out of a record's free-form parts (resource snapshot, context).
 * The resource snapshot's shape belongs to the resource sampler; these readers accept the
 * usual spellings and return undefined for anything else rather than guessing.
 */
import type { ErrorRecord, JsonObject, JsonValue } from '../record.js';

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A 0..1 ratio from either a ratio or a percentage field. */
function ratioOf(entry: JsonObject, ratioKeys: string[], percentKeys: string[]): number | undefined {
  for (const key of ratioKeys) {
    const value = num(entry[key]);
    if (value !== undefined) return value;
  }
  for (const key of percentKeys) {
    const value = num(entry[key]);
    if (value !== undefined) return value / 100;
  }
  const used = num(entry.used);
  const size = num(entry.size) ?? num(entry.total);
  if (used !== undefined && size !== undefined && size > 0) return used / size;
  const available = num(entry.available) ?? num(entry.free);
  if (available !== undefined && size !== undefined && size > 0) return 1 - available / size;
  return undefined;
}

/** Highest disk use (0..1) over the disks of the snapshot. */
export function diskUsedRatio(resources: JsonObject | undefined): number | undefined {
  if (resources === undefined) return undefined;
  const disks = resources.volumes ?? resources.disks ?? resources.disk ?? resources.fsSize;
  const list = Array.isArray(disks) ? disks : isObject(disks) ? [disks] : [];
  let worst: number | undefined;
  for (const entry of list) {
    if (!isObject(entry)) continue;
    const ratio = ratioOf(entry, ['usedRatio', 'useRatio'], ['use', 'usePercent', 'usedPercent']);
    if (ratio !== undefined && (worst === undefined || ratio > worst)) worst = ratio;
  }
  return worst;
}

/** System memory in use (0..1) in the snapshot. */
export function systemMemoryUsedRatio(resources: JsonObject | undefined): number | undefined {
  if (resources === undefined) return undefined;
  const memory = resources.memory ?? resources.mem ?? resources.systemMemory;
  if (!isObject(memory)) return undefined;
  // `available` rather than `used`: page cache counts as used but is not memory pressure.
  const total = num(memory.total);
  const available = num(memory.available);
  if (total !== undefined && available !== undefined && total > 0) return 1 - available / total;
  return ratioOf(memory, ['usedRatio', 'activeRatio'], ['usedPercent', 'usePercent']);
}

/**
 * Milliseconds from the start of the phase to the error: the context's `phaseElapsedMs`
 * (or `phase_elapsed_ms`), else `now - phaseStartedAt` when the context has a start time.
 */
export function phaseElapsedMs(record: ErrorRecord, timeMs: number): number | undefined {
  const context = record.context;
  if (context === undefined) return undefined;
  const direct = num(context.phaseElapsedMs) ?? num(context.phase_elapsed_ms);
  if (direct !== undefined) return direct;
  const started = context.phaseStartedAt ?? context.phase_started_at;
  const startMs =
    typeof started === 'number' ? started : typeof started === 'string' ? Date.parse(started) : Number.NaN;
  if (Number.isFinite(startMs) && Number.isFinite(timeMs) && timeMs >= startMs) return timeMs - startMs;
  return undefined;
}
