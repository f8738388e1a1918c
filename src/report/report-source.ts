/**
 * Opens a report's source (store directories, OTLP/JSON files, in-memory records) as one
 * stream of filtered, de-duplicated records, and checks up front that every path exists and
 * can be read so that a bad path fails before any output is written.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { ErrorRecord } from '../record.js';
import { cutDeepCopy, nestsDeeper } from '../store/depth-bound.js';
import {
  createRepeatBases,
  listStoreFiles,
  readStoreFileLineBatches,
  readStoreLineBatches,
  type StoreReadStats,
} from '../store/read-store.js';
import { readOtlpFiles } from './otlp-json-reader.js';
import { RecentIdFilter } from './recent-id-filter.js';
import { compileRecordFilter, type RecordFilters } from './record-filter.js';
import { reportableTime } from './record-shape.js';
import type { ReportSourceSummary } from './report-aggregation.js';
import { ReportError } from './report-error.js';
import { checkStoreFile } from './store-file-check.js';

/** Where report records come from; at least one member must be set. */
export interface ReportSourceOptions {
  /** Store directories (one per worker, say) or individual store files. */
  store?: string | string[];
  /** OTLP/JSON files written by the Collector's file exporter. */
  otlp?: string | string[];
  /** Records already in memory. */
  records?: Iterable<ErrorRecord> | AsyncIterable<ErrorRecord>;
}

/** Progress callbacks: `total` once with the bytes to read, `advance` as files complete. */
export interface SourceProgress {
  total(bytes: number): void;
  fileDone(bytes: number): void;
}

/**
 * Records in the order read, a chunk at a time; `times[i]` is `Date.parse(records[i].time)`.
 * `lines[i]`, when set, is the store line `records[i]` is exactly the parse of.
 */
export interface RecordBatch {
  records: ErrorRecord[];
  times: number[];
  lines?: (string | undefined)[];
}

/** An opened source: iterate `batches` once, then read `summary()`. */
export interface OpenedReportSource {
  batches: AsyncIterable<RecordBatch>;
  summary(): ReportSourceSummary;
}

/** Records per batch from sources that come one record at a time. */
const BATCH_RECORDS = 1024;

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

async function checkReadable(
  path: string,
  missing: 'ERR_REPORT_STORE_MISSING' | 'ERR_REPORT_FILE_UNREADABLE',
  what: string,
) {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReportError(
      code === 'ENOENT' ? missing : 'ERR_REPORT_FILE_UNREADABLE',
      code === 'ENOENT'
        ? `${what} not found: ${path}`
        : `cannot read ${what} ${path}: ${code ?? String(error)}`,
      { cause: error },
    );
  }
  try {
    await access(path, info.isDirectory() ? constants.R_OK | constants.X_OK : constants.R_OK);
  } catch (error) {
    throw new ReportError('ERR_REPORT_FILE_UNREADABLE', `cannot read ${what} ${path}: permission denied`, {
      cause: error,
    });
  }
  return info;
}

/** Resolves store directories to their files (sizes included, for the progress bar). */
async function storeFiles(paths: string[]): Promise<{ path: string; size: number; listed: boolean }[]> {
  const out: { path: string; size: number; listed: boolean }[] = [];
  for (const path of paths) {
    const info = await checkReadable(path, 'ERR_REPORT_STORE_MISSING', 'store');
    if (!info.isDirectory()) {
      await checkStoreFile(path);
      out.push({ path, size: info.size, listed: false });
      continue;
    }
    for (const file of await listStoreFiles(path)) {
      // A live store's writer may compress or prune a file after this listing: sizes are for the
      // progress bar only, and readStoreFile follows the file to its compressed form or skips it.
      const size = await stat(file).then(
        (s) => s.size,
        () => 0,
      );
      out.push({ path: file, size, listed: true });
    }
  }
  return out;
}

/** Opens the source; throws a {@link ReportError} for a missing store or an unreadable file. */
export async function openReportSource(
  source: ReportSourceOptions,
  filters: RecordFilters | undefined,
  progress?: SourceProgress,
): Promise<OpenedReportSource> {
  const stores = await storeFiles(list(source.store));
  const otlp: { path: string; size: number }[] = [];
  for (const path of list(source.otlp)) {
    const info = await checkReadable(path, 'ERR_REPORT_FILE_UNREADABLE', 'OTLP file');
    if (info.isDirectory())
      throw new ReportError('ERR_REPORT_FILE_UNREADABLE', `OTLP file is a directory: ${path}`);
    otlp.push({ path, size: info.size });
  }
  progress?.total([...stores, ...otlp].reduce((sum, f) => sum + f.size, 0));
  const storeStats: StoreReadStats = { files: 0, lines: 0, records: 0, corruptLines: 0 };
  const otlpStats = { files: 0, lines: 0, records: 0, corruptLines: 0 };
  const ids = new RecentIdFilter();
  let unusable = 0;
  /** In-memory records cut for depth (the store reader counts its own). */
  let shortened = 0;
  const matches = compileRecordFilter(filters);
  // A store given but empty (no file yet) is still a store.
  const kind: ReportSourceSummary['kind'] =
    stores.length > 0
      ? 'store'
      : otlp.length > 0
        ? 'otlp'
        : list(source.store).length > 0
          ? 'store'
          : 'records';

  // Records decoded from OTLP are built to shape by the decoder; store lines and in-memory
  // records are checked.
  const accept = (
    batch: RecordBatch,
    given: ErrorRecord,
    filter: boolean,
    decoded = false,
    line?: string,
  ) => {
    let record = given;
    // A record handed in memory may nest deeper than the renderers can print: a cut copy.
    if (filter && !decoded && nestsDeeper(record)) {
      record = cutDeepCopy(record);
      shortened++;
    }
    const time = decoded ? Date.parse(record.time) : reportableTime(record);
    if (!decoded && Number.isNaN(time)) unusable++;
    else if ((!filter || matches === undefined || matches(record)) && ids.accept(record.id)) {
      batch.records.push(record);
      batch.times.push(time);
      batch.lines?.push(line);
    }
  };

  async function* batches(): AsyncGenerator<RecordBatch> {
    // One set of repeat bases for all files: its slots are reused from file to file.
    const bases = createRepeatBases();
    for (const file of stores) {
      const read = file.listed
        ? readStoreFileLineBatches(file.path, filters, storeStats, bases)
        : readStoreLineBatches(file.path, filters, storeStats);
      for await (const { records, lines } of read) {
        const batch: RecordBatch = { records: [], times: [], lines: [] };
        // The store reader filtered already.
        for (let i = 0; i < records.length; i++)
          accept(batch, records[i] as ErrorRecord, false, false, lines[i]);
        if (batch.records.length > 0) yield batch;
      }
      progress?.fileDone(file.size);
    }
    for (const file of otlp) {
      let batch: RecordBatch = { records: [], times: [] };
      for await (const record of readOtlpFiles([file.path], otlpStats)) {
        accept(batch, record, true, true);
        if (batch.records.length >= BATCH_RECORDS) {
          yield batch;
          batch = { records: [], times: [] };
        }
      }
      if (batch.records.length > 0) yield batch;
      progress?.fileDone(file.size);
    }
    if (source.records !== undefined) {
      let batch: RecordBatch = { records: [], times: [] };
      for await (const record of source.records) {
        accept(batch, record, true);
        if (batch.records.length >= BATCH_RECORDS) {
          yield batch;
          batch = { records: [], times: [] };
        }
      }
      if (batch.records.length > 0) yield batch;
    }
  }

  return {
    batches: batches(),
    summary: () => ({
      kind,
      files: storeStats.files + otlpStats.files,
      lines: storeStats.lines + otlpStats.lines,
      corruptLines: storeStats.corruptLines + otlpStats.corruptLines + unusable,
      duplicates: ids.duplicates,
      shortenedRecords: (storeStats.shortenedRecords ?? 0) + shortened,
    }),
  };
}
