import * as fs from 'node:fs';
import type { ErrorRecord } from '../record.js';
import { type ActiveFile, ActiveFileOpener } from './active-file.js';
import { completeLines, planChunk } from './chunk-plan.js';
import { registerExitFlush, unregisterExitFlush } from './exit-hooks.js';
import { gzipStoreFile } from './gzip-file.js';
import { nextLocalMidnight } from './local-day.js';
import { jsonToLine, serializeRecordLine } from './record-line.js';
import { RecoveryProbe } from './recovery-probe.js';
import { encodeRepeat, type RepeatBase, repeatBase } from './repeat-line.js';
import { RetentionSweeper } from './retention-sweeper.js';
import { type ResolvedStoreOptions, resolveStoreOptions, type StoreOptions } from './store-options.js';

/** How often synchronous writes re-check the store directory (see flushSync). */
const DIR_CHECK_MS = 100;
/** Fingerprints a file keeps a base line for; past this, records of new ones are written whole. */
const MAX_BASES_PER_FILE = 10_000;

/** A whole line that later repeats of its fingerprint in the same file may refer to. */
interface BaseLine {
  json: string;
  /** Parsed on the first repeat only: most fingerprints never repeat within one file. */
  parsed?: RepeatBase | undefined;
}

export { serializeRecordLine } from './record-line.js';

/** Health of the store: `degraded` while writes fail and records wait in memory; `unavailable` when no file can be opened. */
export type StoreState = 'ok' | 'degraded' | 'unavailable';

/** Counters of one store instance. */
export interface StoreStats {
  /** Records on disk (their terminating newline written). */
  written: number;
  /** Records accepted and waiting in memory. */
  pending: number;
  /** Records given up: memory queue full, not serializable, appended after close, or unwritable at close/exit. */
  dropped: number;
  /** Write or open attempts that failed. */
  failedWrites: number;
  /** Files closed because they were full (count, size) or their day ended. */
  rotations: number;
  state: StoreState;
  lastError?: string;
}

/** The one chunk being written asynchronously; a sync flush may rewrite it at the same offset. */
interface InFlight {
  file: ActiveFile;
  buf: Buffer;
  count: number;
  offset: number;
  superseded: boolean;
}

/** What one write step did: `progress` (wrote, opened, rotated), `failed`, or `idle` (nothing to do). */
type StepResult = 'progress' | 'failed' | 'idle';

const MAX_RETRY_MS = 30_000;
/** New files one flushSync opens after finding its file deleted, before it gives up for now. */
const MAX_VANISHED_ROUNDS = 2;

/** Default paths already reported as unusable in this process. */
const unusableSaid = new Set<string>();

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (!e || typeof e !== 'object') return String(err);
  const code = e.code ?? e.name ?? 'Error';
  // Node's fs messages already start with the code ("ENOSPC: no space left on device, write").
  return e.message?.startsWith(`${code}:`) ? e.message : `${code}: ${e.message}`;
}

/**
 * Append-only JSONL writer of error records. Each process writes its own files in the store
 * directory (no locks, no interleaving), in batches, with rotation, retention, optional gzip and
 * a synchronous flush on exit paths. After construction nothing it does throws into the app.
 */
export class JsonlStore {
  /** The store directory. */
  readonly dir: string;
  private readonly o: ResolvedStoreOptions;
  private readonly opener: ActiveFileOpener;
  private readonly retention: RetentionSweeper;
  /** While writes fail: notices when they can succeed again (space freed, access back). */
  private readonly probe: RecoveryProbe;
  private pending: string[] = [];
  private pendingTimes: number[] = [];
  /** For each pending line, the file (by number) that the append side placed it in. */
  private pendingFiles: number[] = [];
  private pendingBytes: number[] = [];
  /** For each pending repeat line, how to make its whole line (see adopt); undefined for whole lines. */
  private pendingWhole: Array<(() => string) | undefined> = [];
  /** The append side's file number of the last physical file opened. */
  private lastFileNo: number | undefined;
  /**
   * The append side's picture of the file the next line goes to. Repeat lines refer to a base
   * line in their own file, so rotation is decided here, when the line is made, and the writer
   * follows it; only a file abandoned after a write error continues in a new one.
   */
  private fileNo = 0;
  private fileRecords = 0;
  private fileBytes = 0;
  private fileDayEnd = Number.POSITIVE_INFINITY;
  private readonly bases = new Map<string, BaseLine>();
  /** The background writer's chunk buffer (see chunkBuffer). */
  private writeBuf: Buffer | undefined;
  /** UTF-16 length of the pending lines: O(1) to keep, close enough to bytes for a memory cap. */
  private pendingChars = 0;
  private enqueued = 0;
  private settled = 0;
  private file: ActiveFile | null = null;
  private inflight: InFlight | null = null;
  /** The one write step in progress (shared by flush() and the background loop). */
  private stepping: Promise<StepResult> | null = null;
  private looping = false;
  /** Check, before the next write, that the active file still exists. */
  private verifyFile = false;
  private flushTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay: number;
  private readonly background = new Set<Promise<unknown>>();
  private closing: Promise<void> | null = null;
  private closed = false;
  private exiting = false;
  private readonly warned = new Set<string>();
  private written = 0;
  private dropped = 0;
  private failedWrites = 0;
  private rotations = 0;
  private state: StoreState = 'ok';
  private lastError: string | undefined;
  private writeThrough: boolean;
  /** When flushSync last checked the directory (its clock). */
  private dirCheckedAt = Number.NEGATIVE_INFINITY;
  /** Files found deleted under a sync write during one flushSync (bounded: the directory may keep vanishing). */
  private vanishedRounds = 0;
  /** @internal The default path is taken by something else: nothing is ever written or read. */
  readonly unusable: boolean = false;

  /** Days a record is kept (0: no age limit). */
  get retentionDays(): number {
    return this.o.retentionDays;
  }

  /** Throws only for bad options; an unwritable directory makes the store start `unavailable`. */
  constructor(options?: StoreOptions) {
    this.o = resolveStoreOptions(options);
    this.dir = this.o.dir;
    this.writeThrough = this.o.writeThrough;
    this.retryDelay = this.o.flushIntervalMs;
    const warn = (key: string, message: string) => this.warnOnce(key, message);
    this.opener = new ActiveFileOpener(this.dir, this.o.stem, this.o.fs, warn);
    this.probe = new RecoveryProbe(
      this.dir,
      () => Math.min(this.pendingChars * 3, this.writeCap()),
      () => this.kick(),
    );
    this.retention = new RetentionSweeper(this.o, (err) =>
      this.warnOnce('retention', `retention failed in ${this.dir}: ${describe(err)}`),
    );
    if (this.o.unusablePath !== undefined) {
      // Only the default path gets here (an explicit one throws): the app runs on without a store.
      this.unusable = true;
      this.state = 'unavailable';
      this.lastError = this.o.unusablePath;
      // Once per path and process: a second logger on the same default path adds no line.
      if (!unusableSaid.has(this.o.logFile)) {
        unusableSaid.add(this.o.logFile);
        this.warnOnce(
          'unusable',
          `no local store: ${this.o.unusablePath}; records are counted as dropped (set logFile to use another path)`,
        );
      }
      return;
    }
    try {
      this.opener.prepareDir();
    } catch (err) {
      this.fail(err, 'unavailable');
    }
    if (this.o.handleExit) registerExitFlush(this);
    this.track(this.retention.start());
  }

  /** Accepts a record: serialized now (one whole line), written later. No I/O, never throws. */
  append(record: ErrorRecord): void {
    if (this.closed || this.unusable) {
      this.refuse();
      return;
    }
    let line: string;
    try {
      line = serializeRecordLine(record);
    } catch (err) {
      this.drop(1, 'serialize', `a record could not be serialized and was dropped (${describe(err)})`);
      return;
    }
    this.enqueueWhole(line, record?.fingerprint, undefined);
  }

  /**
   * Accepts a record that may be written as a compact repeat of an earlier whole line of its
   * fingerprint in the same file (see repeat-line.ts); `wholeJson` makes its whole form (the
   * record fitted to the size limit) and is called only when that is needed. The line is made
   * now, so later changes to `record` do not reach the store. A repeat line longer than
   * `maxLineBytes` goes whole instead (`wholeJson` cuts it to fit). Never throws.
   */
  appendRecord(
    record: ErrorRecord,
    wholeJson: () => string,
    maxLineBytes = Number.POSITIVE_INFINITY,
    timeMs?: number,
  ): void {
    if (this.closed || this.unusable) {
      this.refuse();
      return;
    }
    const time = this.o.now();
    this.placeByCountAndDay(time);
    const fp = record.fingerprint;
    let json: string | undefined;
    try {
      const base = this.baseFor(fp);
      if (base !== undefined) json = encodeRepeat(record, base, timeMs);
      // A repeat that says much (the sampler's disk figures moved, say) makes a new base instead,
      // so that the repeats after it are small again.
      if (json !== undefined && json.length * 4 > (this.bases.get(fp)?.json.length ?? 0)) json = undefined;
    } catch {
      json = undefined;
    }
    let line: string;
    try {
      if (json !== undefined) {
        line = jsonToLine(json);
        const bytes = Buffer.byteLength(line, 'utf8');
        if (bytes <= maxLineBytes && !this.placeBySize(bytes, time)) {
          this.enqueue(line, bytes, time, () => jsonToLine(wholeJson()));
          return;
        }
        // A new file began: the base is in the old one, so this record goes whole.
      }
      json = wholeJson();
      line = jsonToLine(json);
    } catch (err) {
      this.drop(1, 'serialize', `a record could not be serialized and was dropped (${describe(err)})`);
      return;
    }
    this.enqueueWhole(line, fp, json, time);
  }

  /**
   * Takes a newly opened physical file as the one for the next pending lines. When the file
   * before it held the same append-side file (it was abandoned after a failed write), the bases
   * those lines refer to are in that old file: they are all rewritten whole here.
   */
  private adopt(file: ActiveFile): ActiveFile {
    const no = this.pendingFiles[0] ?? this.fileNo;
    file.fileNo = no;
    if (no === this.lastFileNo) {
      for (let i = 0; i < this.pending.length && this.pendingFiles[i] === no; i++) {
        const whole = this.pendingWhole[i];
        if (whole === undefined) continue;
        let line: string;
        try {
          line = whole();
        } catch {
          continue;
        }
        this.pendingChars += line.length - this.pending[i]!.length;
        this.pending[i] = line;
        this.pendingBytes[i] = Buffer.byteLength(line, 'utf8');
        this.pendingWhole[i] = undefined;
      }
    }
    this.lastFileNo = no;
    return file;
  }

  /** The base line of `fp` in the current file, parsed for the encoder. */
  private baseFor(fp: string): RepeatBase | undefined {
    const base = this.bases.get(fp);
    if (base === undefined) return undefined;
    base.parsed ??= repeatBase(base.json);
    if (base.parsed === undefined) this.bases.delete(fp);
    return base.parsed;
  }

  /** A whole line: it becomes the base of its fingerprint (what readers will expand repeats from). */
  private enqueueWhole(line: string, fp: unknown, json: string | undefined, time = this.o.now()): void {
    // Idempotent after appendRecord placed the line already.
    this.placeByCountAndDay(time);
    const bytes = Buffer.byteLength(line, 'utf8');
    this.placeBySize(bytes, time);
    if (typeof fp === 'string') {
      if (json !== undefined && (this.bases.has(fp) || this.bases.size < MAX_BASES_PER_FILE)) {
        this.bases.set(fp, { json });
      } else {
        // A whole line without a base of ours still replaces the reader's base for it.
        this.bases.delete(fp);
      }
    }
    this.enqueue(line, bytes, time);
  }

  /** Starts a new file when the current one is full by count or its day has ended. */
  private placeByCountAndDay(time: number): void {
    if (this.fileRecords === 0) {
      this.fileDayEnd = this.o.rotateDaily ? nextLocalMidnight(time) : Number.POSITIVE_INFINITY;
      return;
    }
    if (this.fileRecords >= this.o.maxLogs || time >= this.fileDayEnd) this.startFile(time);
  }

  /** Starts a new file when `bytes` more would overflow the current one; true when it did. */
  private placeBySize(bytes: number, time: number): boolean {
    if (this.fileBytes > 0 && this.fileBytes + bytes > this.o.maxFileBytes) {
      this.startFile(time);
      return true;
    }
    return false;
  }

  private startFile(time: number): void {
    this.fileNo++;
    this.fileRecords = 0;
    this.fileBytes = 0;
    this.fileDayEnd = this.o.rotateDaily ? nextLocalMidnight(time) : Number.POSITIVE_INFINITY;
    this.bases.clear();
  }

  private enqueue(line: string, bytes: number, time: number, whole?: () => string): void {
    if (
      this.pending.length >= this.o.maxBufferedRecords ||
      this.pendingChars + line.length > this.o.maxBufferedBytes
    ) {
      // While the disk fails, a turned-away record is the moment to look whether it is back.
      if (this.state !== 'ok') this.probe.now();
      this.drop(
        1,
        'overflow',
        `memory queue full (${this.o.maxBufferedRecords} records or ${this.o.maxBufferedBytes} bytes); dropping new records`,
      );
      return;
    }
    this.fileRecords++;
    this.fileBytes += bytes;
    this.pendingChars += line.length;
    this.pending.push(line);
    this.pendingTimes.push(time);
    this.pendingFiles.push(this.fileNo);
    this.pendingBytes.push(bytes);
    this.pendingWhole.push(whole);
    this.enqueued++;
    // Written through: at exit, in a worker (terminate() runs no exit handler), or with the heap
    // near its limit (an OOM crash runs none either). A failing disk is left to the retries.
    if (this.exiting || (this.writeThrough && this.state === 'ok')) {
      this.flushSync();
    } else if (this.pending.length >= this.o.batchSize) {
      if (!this.retryTimer) this.kick();
    } else if (this.o.autoFlush && !this.flushTimer && !this.retryTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        this.kick();
      }, this.o.flushIntervalMs);
      this.flushTimer.unref();
    }
  }

  /**
   * Writes every record accepted before the call (not those appended while it runs, so a storm
   * cannot hold it up); resolves, never rejects, once they are written or after a failed attempt.
   */
  async flush(): Promise<void> {
    const target = this.enqueued;
    this.verifyFile = true;
    while (this.settled < target && this.pending.length > 0) {
      if ((await this.step()) !== 'progress') return;
    }
  }

  /** Writes everything pending synchronously (exit paths). Never throws. */
  flushSync(): void {
    this.vanishedRounds = 0;
    try {
      const f = this.inflight;
      if (f && !f.superseded) {
        // Rewriting the same bytes at the same offset is harmless if the async write also lands.
        f.superseded = true;
        this.inflight = null;
        if (!this.writeSyncAt(f.file, f.buf, f.offset, f.count)) return;
      }
      // The directory check of a flush run, as the batched path makes it; written through, a
      // flush per record would pay an lstat each, so at most one per DIR_CHECK_MS.
      const current = this.file;
      const now = this.o.now();
      if (current && now - this.dirCheckedAt >= DIR_CHECK_MS) {
        this.dirCheckedAt = now;
        if (!this.opener.sameDirSync(current.dirId)) this.abandon(current);
      }
      while (this.pending.length > 0) {
        let file = this.file;
        if (!file) {
          try {
            file = this.file = this.adopt(this.opener.openSync(this.pendingTimes[0] ?? this.o.now()));
          } catch (err) {
            this.fail(err, 'unavailable');
            return;
          }
        }
        const chunk = planChunk(this.pendingFiles, this.pendingBytes, file, this.writeCap());
        if (chunk.rotateFirst) {
          this.rotate(file, true);
          continue;
        }
        const buf = this.chunkBuffer(chunk.count, false);
        if (!this.writeSyncAt(file, buf, file.bytes, chunk.count)) return;
      }
    } catch (err) {
      this.fail(err, 'degraded');
    } finally {
      if (this.exiting && this.pending.length > 0) {
        this.warnOnce(
          'exit',
          `${this.pending.length} records could not be written before the process exited`,
        );
      }
    }
  }

  /** Flushes, closes the file, waits for compression and retention, removes the exit hooks. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  /** Counters and health, read at the call. */
  stats(): StoreStats {
    const s: StoreStats = {
      written: this.written,
      pending: this.pending.length,
      dropped: this.dropped,
      failedWrites: this.failedWrites,
      rotations: this.rotations,
      state: this.state,
    };
    if (this.lastError !== undefined) s.lastError = this.lastError;
    return s;
  }

  /** True while each record is written synchronously as it is appended. */
  get writesThrough(): boolean {
    return this.writeThrough;
  }

  /**
   * @internal Writes each record synchronously from now on (`true`; what is pending is written
   * at once) or goes back to batches (`false`; a store made with `writeThrough` stays so).
   * The engine turns it on while the heap is near its limit.
   */
  setWriteThrough(on: boolean): void {
    const next = on || this.o.writeThrough;
    if (next === this.writeThrough) return;
    this.writeThrough = next;
    if (next && this.pending.length > 0 && !this.closed) this.flushSync();
  }

  /** @internal Called by the shared exit hook: from now on appends are written at once. */
  markExiting(): void {
    this.exiting = true;
  }

  private async doClose(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.flushTimer = this.retryTimer = null;
    this.probe.stop();
    const retentionStopped = this.retention.stop();
    await this.flush();
    this.closed = true;
    if (this.pending.length > 0) await this.flush();
    // A background step may still be finishing (e.g. an open); the file is closed after it.
    if (this.stepping) await this.stepping;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.probe.stop();
    if (this.pending.length > 0) {
      const n = this.pending.length;
      this.pending = [];
      this.pendingTimes = [];
      this.pendingFiles = [];
      this.pendingBytes = [];
      this.pendingWhole = [];
      this.pendingChars = 0;
      this.drop(n, 'close', `${n} records could not be written before close() and were dropped`);
    }
    const file = this.file;
    this.file = null;
    if (file) {
      await this.o.fs.close(file.fd).catch(() => {});
      if (this.o.gzip && file.records > 0) {
        await gzipStoreFile(file.path).catch((err) =>
          this.warnOnce('gzip', `could not compress ${file.path}: ${describe(err)}`),
        );
      }
    }
    await retentionStopped;
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
    unregisterExitFlush(this);
  }

  /**
   * Bytes for the next write: `maxWriteBytes`, and more (up to 16×) while a backlog builds up.
   * One write is issued per event-loop turn; in a storm that produces more than a chunk per turn,
   * small chunks alone would fill the memory queue and drop records.
   */
  private writeCap(): number {
    const max = this.o.maxWriteBytes;
    return this.pendingChars > 2 * max ? Math.min(16 * max, this.pendingChars) : max;
  }

  /**
   * The next `count` pending lines as one buffer, encoded line by line (no joined string). The
   * background writer reuses one buffer (its writes never overlap: each waits for the one
   * before), which keeps a storm's chunks from piling up as garbage in the process's memory; a
   * synchronous flush, which may run while a background write still reads that buffer, gets a
   * fresh one.
   */
  private chunkBuffer(count: number, reuse: boolean): Buffer {
    let size = 0;
    for (let i = 0; i < count; i++) size += this.pendingBytes[i]!;
    let buf: Buffer;
    if (reuse) {
      if (this.writeBuf === undefined || this.writeBuf.length < size) {
        this.writeBuf = Buffer.allocUnsafeSlow(Math.max(size, this.o.maxWriteBytes));
      }
      buf = this.writeBuf;
    } else {
      buf = Buffer.allocUnsafe(size);
    }
    let at = 0;
    for (let i = 0; i < count; i++) at += buf.write(this.pending[i]!, at, 'utf8');
    return buf.subarray(0, at);
  }

  /** Background writer: steps until nothing is pending or a step fails (the retry timer takes over). */
  private kick(): void {
    if (this.looping) return;
    this.looping = true;
    this.verifyFile = true;
    void (async () => {
      try {
        while (this.pending.length > 0 && !this.closed && (await this.step()) === 'progress') {}
      } finally {
        this.looping = false;
      }
    })();
  }

  /** One write step, shared by whoever asks while it runs. Never rejects. */
  private step(): Promise<StepResult> {
    if (!this.stepping) {
      if (this.retryTimer) {
        clearTimeout(this.retryTimer);
        this.retryTimer = null;
      }
      this.stepping = this.writeStep()
        .catch((err): StepResult => {
          this.fail(err, 'degraded');
          return 'failed';
        })
        .finally(() => {
          this.stepping = null;
        });
    }
    return this.stepping;
  }

  /** Opens, rotates or writes one chunk to the active file. */
  private async writeStep(): Promise<StepResult> {
    if (this.pending.length === 0) return 'idle';
    if (this.verifyFile && this.file) {
      this.verifyFile = false;
      const checked = this.file;
      // The directory deleted, moved or swapped for a symlink: later writes would vanish or
      // land outside the store. Checked once per flush or background run. A deleted file needs
      // no check here: each chunk's write is confirmed by the fstat after it.
      const sameDir = await this.opener.sameDir(checked.dirId);
      if (!sameDir && this.file === checked) this.abandon(checked);
      return 'progress';
    }
    if (!this.file) return this.openAsync();
    let file = this.file;
    let chunk = planChunk(this.pendingFiles, this.pendingBytes, file, this.writeCap());
    if (chunk.rotateFirst) {
      this.rotate(file, false);
      // The next file is opened at once (one open call per file), not on a later turn: with
      // one write per turn, a storm rotating every 1,000 records would outrun the writer.
      try {
        file = this.file = this.adopt(this.opener.openSync(this.pendingTimes[0] ?? this.o.now()));
      } catch {
        return 'progress';
      }
      chunk = planChunk(this.pendingFiles, this.pendingBytes, file, this.writeCap());
    }
    const buf = this.chunkBuffer(chunk.count, true);
    const job: InFlight = { file, buf, count: chunk.count, offset: file.bytes, superseded: false };
    this.inflight = job;
    let done = 0;
    try {
      while (done < buf.length) {
        const n = await this.o.fs.write(file.fd, buf, done, buf.length - done, job.offset + done);
        if (job.superseded) return 'progress';
        if (n <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
        done += n;
      }
    } catch (err) {
      if (job.superseded) return 'progress';
      this.inflight = null;
      this.commitPartial(file, buf, job.offset, done);
      this.fail(err, 'degraded');
      return 'failed';
    }
    // A record counts as written only in a file that still has a name: one fstat per chunk.
    const links = await this.o.fs.fstatLinks(file.fd).catch(() => 1);
    if (job.superseded) return 'progress';
    this.inflight = null;
    if (links === 0) {
      this.vanished(file);
      return 'progress';
    }
    this.commit(file, buf.length, chunk.count);
    return 'progress';
  }

  /**
   * The file was deleted under the write that just landed (its directory removed, say): the
   * chunk's lines stay pending and go to a new file, so nothing is counted written that is on
   * no disk.
   */
  private vanished(file: ActiveFile): void {
    this.warnOnce(
      'vanished',
      `${file.path} was deleted while being written; its unconfirmed records are written again in a new file`,
    );
    this.abandon(file);
  }

  /** Sync write of a whole chunk at an offset; on failure keeps what landed and abandons the file. */
  private writeSyncAt(file: ActiveFile, buf: Buffer, offset: number, count: number): boolean {
    let done = 0;
    try {
      while (done < buf.length) {
        const n = this.o.fs.writeSync(file.fd, buf, done, buf.length - done, offset + done);
        if (n <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
        done += n;
      }
    } catch (err) {
      this.commitPartial(file, buf, offset, done);
      this.fail(err, 'degraded');
      return false;
    }
    let links = 1;
    try {
      links = this.o.fs.fstatLinksSync(file.fd);
    } catch {
      // Unknown: the bytes were accepted by the file.
    }
    if (links === 0) {
      // Rewritten in a new file by the caller's next round (flushSync opens one).
      this.vanished(file);
      return this.vanishedRounds++ < MAX_VANISHED_ROUNDS;
    }
    file.bytes = offset;
    this.commit(file, buf.length, count);
    return true;
  }

  private commit(file: ActiveFile, bytes: number, count: number): void {
    file.bytes += bytes;
    file.records += count;
    for (let i = 0; i < count; i++) this.pendingChars -= this.pending[i]!.length;
    this.pending.splice(0, count);
    this.pendingTimes.splice(0, count);
    this.pendingFiles.splice(0, count);
    this.pendingBytes.splice(0, count);
    this.pendingWhole.splice(0, count);
    this.settled += count;
    this.written += count;
    if (this.state !== 'ok') {
      this.state = 'ok';
      this.retryDelay = this.o.flushIntervalMs;
      this.probe.stop();
    }
  }

  /**
   * Lines whose newline landed before a failed write are on disk; a torn tail stays at the end of
   * the old file (readers skip a last line without newline) and the file is abandoned, so the
   * retried line starts a fresh file and is never glued to the fragment.
   */
  private commitPartial(file: ActiveFile, buf: Buffer, offset: number, done: number): void {
    const { lines, bytes } = completeLines(buf, done);
    file.bytes = offset;
    if (lines > 0) {
      const keepState = this.state;
      this.commit(file, bytes, lines);
      this.state = keepState;
    }
    this.abandon(file);
  }

  private abandon(file: ActiveFile): void {
    if (this.file === file) this.file = null;
    // Later records must not refer to bases in a file that is given up: they get new ones.
    if (file.fileNo === this.fileNo) this.bases.clear();
    // A file given up before any line landed in it (a full disk takes the open, then fails the
    // write) would be left empty at every retry: it is ours and holds no record, so it goes.
    const empty = file.bytes === 0 && file.records === 0;
    this.track(
      this.o.fs
        .close(file.fd)
        .then(() => (empty ? fs.promises.unlink(file.path) : undefined))
        .catch(() => {}),
    );
  }

  private rotate(file: ActiveFile, sync: boolean): void {
    if (this.file === file) this.file = null;
    this.rotations++;
    if (sync) {
      try {
        this.o.fs.closeSync(file.fd);
      } catch {
        // Closing a full file can only fail if it is already closed.
      }
      return;
    }
    this.track(
      this.o.fs
        .close(file.fd)
        .then(() => (this.o.gzip ? gzipStoreFile(file.path) : undefined))
        .catch((err) => this.warnOnce('gzip', `could not compress ${file.path}: ${describe(err)}`))
        .then(() => this.retention.sweep()),
    );
  }

  /** Opens the next file; a sync flush may have opened its own meanwhile (then this one is discarded). */
  private async openAsync(): Promise<StepResult> {
    let file: ActiveFile;
    try {
      file = await this.opener.open(this.pendingTimes[0] ?? this.o.now());
    } catch (err) {
      this.fail(err, 'unavailable');
      return 'failed';
    }
    // Only a file opened meanwhile by a sync flush makes this one redundant. (Discarding it also
    // while closing made close()'s last flush reopen and discard forever after a failed write.)
    if (this.file) {
      // Empty and ours: nothing is lost by removing it.
      this.track(
        this.o.fs
          .close(file.fd)
          .then(() => fs.promises.unlink(file.path))
          .catch(() => {}),
      );
    } else {
      this.file = this.adopt(file);
    }
    return 'progress';
  }

  private fail(err: unknown, state: StoreState): void {
    this.failedWrites++;
    this.state = state;
    this.lastError = describe(err);
    if (!this.closed && !this.exiting) this.probe.arm((err as NodeJS.ErrnoException | undefined)?.code);
    this.warnOnce(
      'write',
      `cannot write to ${this.dir} (${this.lastError}); records wait in memory (up to ${this.o.maxBufferedRecords}) and are retried`,
    );
    if (this.closed || this.exiting || this.retryTimer) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, delay);
    this.retryTimer.unref();
  }

  /** A record that cannot be taken: counted, and said once (the unusable path was said already). */
  private refuse(): void {
    if (this.unusable) this.dropped++;
    else this.drop(1, 'closed', 'a record was appended after close(); it was dropped');
  }

  private drop(n: number, key: string, message: string): void {
    this.dropped += n;
    this.warnOnce(`drop:${key}`, `${message} (further drops are only counted in stats().dropped)`);
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    try {
      this.o.warn(message);
    } catch {
      // A failing diagnostic sink must not turn into an exception in the app.
    }
  }

  private track(p: Promise<unknown>): void {
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }
}
