/**
 * The progress bar of a long report run, on stderr, only when stderr is a terminal (a bar in
 * a log file or a pipe is noise). Progress is measured in bytes of input files done, with the
 * record count beside it.
 */
import cliProgress from 'cli-progress';
import type { SourceProgress } from './report-source.js';

/** A progress reporter; the no-op one when disabled. */
export interface ReportProgress extends SourceProgress {
  records(count: number): void;
  stop(): void;
}

const NO_PROGRESS: ReportProgress = { total() {}, fileDone() {}, records() {}, stop() {} };

/** Inputs smaller than this read in a moment: a bar would only flash and stay in the scrollback. */
export const PROGRESS_MIN_BYTES = 4 * 1024 * 1024;

/** A progress bar on stderr, or a no-op when `enabled` is false. */
export function createReportProgress(enabled: boolean): ReportProgress {
  if (!enabled) return NO_PROGRESS;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'report |{bar}| {percentage}% | {records} records',
      hideCursor: true,
      // Erased when done: what stays on the terminal is the report's own output.
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let done = 0;
  return {
    total(bytes) {
      if (bytes < PROGRESS_MIN_BYTES) return;
      bar.start(Math.max(bytes, 1), 0, { records: 0 });
      started = true;
    },
    fileDone(bytes) {
      done += bytes;
      if (started) bar.update(done);
    },
    records(count) {
      if (started) bar.update(done, { records: count });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
