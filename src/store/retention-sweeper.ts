import { type LongTimer, setLongTimeout } from './long-timer.js';
import { pruneStore } from './prune-store.js';

/** What the sweeper needs from its store. */
export interface RetentionSettings {
  dir: string;
  retentionDays: number;
  maxTotalBytes: number;
  retentionIntervalMs: number;
  now: () => number;
}

/**
 * Runs {@link pruneStore} for one store: on demand (at start, after a rotation) and every
 * `retentionIntervalMs`, one sweep at a time. Failures go to `onError`, never further.
 */
export class RetentionSweeper {
  private running: Promise<void> | null = null;
  private timer: LongTimer | null = null;
  private stopped = false;

  constructor(
    private readonly settings: RetentionSettings,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** False when both limits are off. */
  get enabled(): boolean {
    return this.settings.retentionDays > 0 || this.settings.maxTotalBytes > 0;
  }

  /** Starts a sweep unless one is running; resolves when it ends. */
  sweep(): Promise<void> {
    if (this.stopped || !this.enabled) return Promise.resolve();
    this.running ??= pruneStore(this.settings.dir, {
      retentionDays: this.settings.retentionDays,
      maxTotalBytes: this.settings.maxTotalBytes,
      now: this.settings.now(),
    })
      .then(() => undefined, this.onError)
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Sweeps now and then periodically (unref'd timers, chunked beyond Node's limit). */
  start(): Promise<void> {
    const first = this.sweep();
    if (this.enabled) this.schedule();
    return first;
  }

  /** Cancels the timer; a sweep in progress finishes. */
  stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    return this.running ?? Promise.resolve();
  }

  private schedule(): void {
    this.timer = setLongTimeout(
      () => {
        void this.sweep();
        if (!this.stopped) this.schedule();
      },
      this.settings.retentionIntervalMs,
      this.settings.now,
    );
  }
}
