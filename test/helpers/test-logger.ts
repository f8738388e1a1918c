import { join } from 'node:path';
import { afterEach } from 'vitest';
import { ExportLogger, type ExportLoggerOptions } from '../../src/logger/export-logger.js';
import type { ErrorRecord } from '../../src/record.js';
import { readStoreLines } from './store-lines.js';
import { tempDir } from './temp-dir.js';

const made: ExportLogger[] = [];

/**
 * A logger on a fresh temp store, quiet (no resource sampler, no stderr pattern lines unless
 * asked for), shut down after the test.
 */
export async function testLogger(
  options: ExportLoggerOptions = {},
): Promise<{ logger: ExportLogger; dir: string }> {
  const dir = await tempDir();
  const logger = new ExportLogger({
    logFile: join(dir, 'errors.jsonl'),
    resources: false,
    warnOnStderr: false,
    ...options,
  });
  made.push(logger);
  return { logger, dir };
}

/** The records of the store in `dir` once `logger` has written what it holds. */
export async function flushedRecords(logger: ExportLogger, dir: string): Promise<ErrorRecord[]> {
  await logger.flush();
  return readStoreLines(dir);
}

/** Registers a logger made some other way for the same shutdown after the test. */
export function shutDownAfterTest(logger: ExportLogger): ExportLogger {
  made.push(logger);
  return logger;
}

afterEach(async () => {
  await Promise.all(made.splice(0).map((l) => l.shutdown()));
});
