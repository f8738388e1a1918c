/**
 * Figures the report reads out of a record. The resource snapshot's key names belong to the
 * resource sampler, so its own readers are used; the phase timing comes from the record.
 */
import type { ErrorRecord, JsonValue } from '../record.js';

export {
  diskUtilization as diskUsedRatio,
  systemMemoryUtilization as systemMemoryUsedRatio,
} from '../resources/resource-figures.js';

function num(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Milliseconds from the start of the phase to the error: the record's `phaseElapsedMs`, else a
 * `phaseElapsedMs` or `phaseStartedAt` an app put in the context itself.
 */
export function phaseElapsedMs(record: ErrorRecord, timeMs: number): number | undefined {
  if (typeof record.phaseElapsedMs === 'number') return record.phaseElapsedMs;
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
