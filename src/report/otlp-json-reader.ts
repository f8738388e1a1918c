/**
 * Streams the error records out of OTLP/JSON files written by the Collector's file exporter:
 * one export request per line, read line by line so a large file never sits in memory.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ErrorRecord } from '../record.js';
import { decodeOtlpRequest } from './otlp-record-decoder.js';

/** Counters the reader fills in while it runs. */
export interface OtlpReadStats {
  files: number;
  lines: number;
  records: number;
  corruptLines: number;
}

/** Yields every error record of the given OTLP/JSON files, in file order. */
export async function* readOtlpFiles(
  paths: readonly string[],
  stats?: OtlpReadStats,
): AsyncGenerator<ErrorRecord> {
  for (const path of paths) {
    const input = createReadStream(path, { encoding: 'utf8' });
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    if (stats) stats.files++;
    try {
      for await (const line of lines) {
        if (line.trim().length === 0) continue;
        if (stats) stats.lines++;
        let records: ErrorRecord[] | null;
        try {
          records = decodeOtlpRequest(JSON.parse(line));
        } catch {
          records = null;
        }
        if (records === null) {
          if (stats) stats.corruptLines++;
          continue;
        }
        if (stats) stats.records += records.length;
        yield* records;
      }
    } finally {
      lines.close();
      input.destroy();
    }
  }
}
