import type { ExportLogger } from '../logger/export-logger.js';
import { PINO_ERROR_LEVEL } from './pino-log-fields.js';

/** Options of {@link errorInsightPinoHooks}. */
export interface PinoHookOptions {
  /** The logger that records. @default the process-wide one (`getExportLogger()`), looked up at each log call */
  logger?: ExportLogger;
  /** Lowest pino level number recorded. @default 50 (`error`; `fatal` is 60) */
  level?: number;
  /** Keys of the logged object that may hold the error (pino serializes `err`). @default ['err', 'error'] */
  errorKeys?: string[];
}

/** Keys looked at for the error by default. */
export const DEFAULT_PINO_ERROR_KEYS: readonly string[] = ['err', 'error'];

/** Checks the options shared by the hook and the transport. */
export function resolvePinoLevel(level: unknown, name: string): number {
  if (level === undefined) return PINO_ERROR_LEVEL;
  if (typeof level !== 'number' || !Number.isFinite(level)) {
    throw new TypeError(
      `error-insight: ${name} level must be a pino level number such as 50, got ${String(level)}`,
    );
  }
  return level;
}

/** Checks `errorKeys`. */
export function resolveErrorKeys(keys: unknown, name: string): ReadonlySet<string> {
  if (keys === undefined) return new Set(DEFAULT_PINO_ERROR_KEYS);
  if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => typeof k !== 'string' || k === '')) {
    throw new TypeError(`error-insight: ${name} errorKeys must be a non-empty array of key names`);
  }
  return new Set(keys);
}
