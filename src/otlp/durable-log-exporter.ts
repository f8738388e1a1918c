import * as fs from 'node:fs';
import * as path from 'node:path';
import { reportInternalError, reportOnce } from '../diag/diagnostics.js';
import type { ErrorRecord } from '../record.js';
import { listStoreFiles, readStoreFileBatches } from '../store/read-store.js';
import { parseStoreFileName } from '../store/store-file-name.js';
import type { BatchDelivery } from './batch-delivery.js';
import type { ExportCounters } from './export-counters.js';
import { type ExportPosition, ExportPositions } from './export-position.js';

/** Settings of {@link DurableLogExporter}. */
export interface DurableLogExporterOptions {
  /** The store directory. */
  dir: string;
  /** Records older than this are given up rather than sent (0: none are). */
  retentionMs: number;
  /** Records per request. */
  batchSize: number;
  /** Wait after a new record before a pass, so one request carries a burst. */
  delayMs: number;
}

/** Defaults of the durable exporter. */
export const DEFAULT_DURABLE_BATCH_SIZE = 256;
/**
 * A pass re-reads the newest file of a writer from its start (repeat lines need their base line),
 * so passes are spaced: under a steady trickle of errors one pass a second.
 */
export const DEFAULT_DURABLE_DELAY_MS = 1000;

interface WriterFiles {
  writer: string;
  files: Array<{ path: string; name: string; sequence: number }>;
}

/**
 * Sends log records *from the local store*, which stays the source of truth: each writer's files
 * are read in order from a saved position (see {@link ExportPositions}) and a position is saved
 * after each batch the collector accepted. So records accepted while the collector was down,
 * slow or answering 429, 502, 503 or 504 go out when it answers again, each once, and a restarted app
 * resumes where the last one stopped; writers that died without sending (earlier runs, crashed
 * workers) are taken over. Memory holds one batch and one read chunk however long the outage.
 * Records older than the store's retention are given up, counted and reported once. A crash
 * between the collector's answer and the position's rename sends that one batch again (the
 * record ids tell the duplicates apart).
 */
export class DurableLogExporter {
  private readonly positions: ExportPositions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** Records of the batch being delivered. */
  private inFlight: readonly ErrorRecord[] = [];
  private notified = 0;
  private sentOwn = 0;
  private pendingSince = 0;
  private baselined = false;
  /** Per file fully sent: its size then, so a pass skips it while it has not grown. */
  private readonly doneSizes = new Map<string, number>();

  constructor(
    private readonly o: DurableLogExporterOptions,
    private readonly delivery: BatchDelivery,
    private readonly select: (record: ErrorRecord) => boolean,
    private readonly counters: ExportCounters,
    /** Gets what the engine accepted onto disk before a pass reads it. */
    private readonly flushStore: () => Promise<void>,
  ) {
    this.positions = new ExportPositions(o.dir);
    counters.addQueue(() => this.inFlight.length);
    counters.setDurable(() => this.lag());
  }

  /** Sends what earlier runs left in the store, on a later turn. */
  start(): void {
    this.schedule(0);
  }

  /** A record was accepted: send it (and whatever waits) shortly. */
  notify(record: ErrorRecord): void {
    if (!this.select(record)) return;
    if (this.notified - this.sentOwn <= 0) this.pendingSince = Date.now();
    this.notified++;
    this.schedule(this.o.delayMs);
  }

  /** Sends everything the store holds now; a collector that is away ends it after one attempt. */
  async forceFlush(): Promise<void> {
    if (this.stopped) return;
    this.clearTimer();
    this.delivery.hurry();
    try {
      await this.running;
      this.again = false;
      await this.run();
    } finally {
      this.delivery.calm();
    }
    if (this.notified > this.sentOwn) this.schedule(this.o.delayMs);
  }

  /** One last pass (the gate is draining by then), then the claims are given up. Idempotent. */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    await this.forceFlush();
    this.stopped = true;
    this.clearTimer();
    await this.positions.release().catch(() => {});
  }

  private lag(): { pendingRecords: number; lagMs: number } {
    const pendingRecords = Math.max(0, this.notified - this.sentOwn, this.inFlight.length);
    const first = this.inFlight[0];
    const since = first !== undefined ? Date.parse(first.time) : pendingRecords > 0 ? this.pendingSince : 0;
    return { pendingRecords, lagMs: since > 0 ? Math.max(0, Date.now() - since) : 0 };
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    if (this.timer !== undefined) return;
    // Unref'd: a pending pass never holds the process; the store keeps what it would have sent.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, ms);
    this.timer.unref();
  }

  private run(): Promise<void> {
    this.running ??= this.pass()
      .catch((err: unknown) => reportInternalError('durable OTLP log export', err))
      .finally(() => {
        this.running = undefined;
        // Records that came during the pass wait for the next one, a delay later: a steady
        // trickle of errors gets one pass per delay, not a pass right after every pass.
        if (this.again) {
          this.again = false;
          this.schedule(this.o.delayMs);
        }
      });
    return this.running;
  }

  private async pass(): Promise<void> {
    await this.flushStore().catch(() => {});
    let listing: string[];
    try {
      listing = await listStoreFiles(this.o.dir);
    } catch {
      return;
    }
    const writers = byWriter(listing);
    if (!this.baselined) {
      this.baselined = true;
      if (!(await this.positions.exists())) await this.baseline(writers);
      else await this.positions.forget(new Set(writers.map((w) => w.writer)));
      // From now on this store's records are a backlog, also those of a run that dies before it sends.
      await this.positions.ensureDir();
    }
    for (const writer of writers) {
      if (!(await this.positions.claim(writer.writer))) continue;
      if (!(await this.sendWriter(writer))) return;
    }
  }

  /**
   * The first time log export runs on a store, what ended writers left there is history, not a
   * backlog: their positions start at the end (`export --format otlp` sends history). Writers
   * still running (and those of this process) are sent from their start.
   */
  private async baseline(writers: readonly WriterFiles[]): Promise<void> {
    for (const { writer, files } of writers) {
      const last = files[files.length - 1];
      if (last === undefined || ExportPositions.writerAlive(Number(writer.split('-')[0]))) continue;
      await this.positions.save(writer, position(last, -1));
    }
  }

  /** False when a batch could not be delivered now (the next pass starts there again). */
  private async sendWriter({ writer, files }: WriterFiles): Promise<boolean> {
    const saved = await this.positions.read(writer);
    let start = 0;
    let skip = 0;
    if (saved !== undefined) {
      start = files.findIndex((f) =>
        saved.records < 0 ? f.sequence > saved.sequence : f.sequence >= saved.sequence,
      );
      if (start === -1) return true;
      const first = files[start];
      if (first?.name === saved.file) skip = saved.records;
      else if (saved.records >= 0 || (first?.sequence ?? 0) > saved.sequence + 1)
        reportOnce(
          'otlp-logs-gone',
          'store files were removed by retention before all their records were sent as log records',
        );
    }
    const cutoff = this.o.retentionMs > 0 ? Date.now() - this.o.retentionMs : Number.NEGATIVE_INFINITY;
    for (let i = start; i < files.length; i++) {
      const file = files[i] as WriterFiles['files'][number];
      const skipHere = i === start ? skip : 0;
      const size = await fileSize(file.path);
      if (size !== undefined && this.doneSizes.get(file.name) === size) continue;
      let index = 0;
      let saveAt = skipHere;
      let batch: ErrorRecord[] = [];
      const deliver = async (upTo: number): Promise<boolean> => {
        if (batch.length > 0) {
          this.inFlight = batch;
          const done = await this.delivery.deliver(batch);
          this.inFlight = [];
          if (!done) return false;
          for (const r of batch) if (r.process?.pid === process.pid) this.sentOwn++;
          batch = [];
        }
        if (upTo > saveAt) {
          await this.positions.save(writer, position(file, upTo));
          saveAt = upTo;
        }
        return true;
      };
      for await (const chunk of readStoreFileBatches(file.path)) {
        for (const record of chunk) {
          index++;
          if (index <= skipHere) continue;
          const time = Date.parse(record.time);
          if (time < cutoff) {
            this.counters.expired++;
            this.counters.droppedLogRecords++;
            reportOnce(
              'otlp-logs-expired',
              'records older than the store retention were not sent as log records (counted in stats().export.expired)',
            );
            continue;
          }
          if (!this.select(record)) continue;
          batch.push(record);
          if (batch.length >= this.o.batchSize && !(await deliver(index))) return false;
        }
      }
      if (!(await deliver(index))) return false;
      if (size !== undefined) {
        if (this.doneSizes.size > 1024) this.doneSizes.clear();
        this.doneSizes.set(file.name, size);
      }
    }
    return true;
  }
}

async function fileSize(file: string): Promise<number | undefined> {
  try {
    return (await fs.promises.stat(file)).size;
  } catch {
    return undefined;
  }
}

function position(file: { name: string; sequence: number }, records: number): ExportPosition {
  return { file: file.name, sequence: file.sequence, records };
}

/** The listing (oldest first) split by writer, each writer's files in sequence order. */
function byWriter(listing: readonly string[]): WriterFiles[] {
  const writers = new Map<string, WriterFiles>();
  for (const file of listing) {
    const parsed = parseStoreFileName(path.basename(file));
    if (parsed === undefined) continue;
    const writer = `${parsed.pid}-${parsed.runId}`;
    let entry = writers.get(writer);
    if (entry === undefined) {
      entry = { writer, files: [] };
      writers.set(writer, entry);
    }
    entry.files.push({ path: file, name: parsed.name.replace(/\.gz$/, ''), sequence: parsed.sequence });
  }
  for (const entry of writers.values()) entry.files.sort((a, b) => a.sequence - b.sequence);
  return [...writers.values()];
}
