import { Worker } from 'node:worker_threads';
import { reportInternalError, reportOnce } from '../diag/diagnostics.js';
import type { StallFrame } from './event-loop-stall-error.js';
import {
  claimPausedContext,
  exposePausedContext,
  HUNG_STALL_FUNCTION,
  PAUSED_CONTEXT_EXPRESSION,
  type PausedContext,
  pausedContextNow,
  registerHungRecorder,
} from './paused-context.js';
import type { ResolvedStallOptions } from './stall-options.js';
import { STALL_WATCHDOG_SOURCE } from './stall-watchdog-source.js';

/** One block of the event loop, as the watchdog saw it. */
export interface StallReport {
  blockedMs: number;
  thresholdMs: number;
  /** The main thread's frames during the block, innermost first; absent when they could not be taken. */
  frames: StallFrame[] | undefined;
  /** From asking for the pause to the main thread pausing, ms (large after a block in native code). */
  pauseLatencyMs: number | undefined;
  /** The async context of the blocking code, when it could be read. */
  context: PausedContext | undefined;
  /** Recorded while the block lasted (past `hungAfterMs`): the block had not ended then. */
  stillBlocked?: boolean;
  /** The end of a block that was recorded while it lasted: nothing more to record. */
  recordedWhileBlocked?: boolean;
}

/** Frames kept of the blocked stack. */
const MAX_FRAMES = 50;

interface WatchdogMessage {
  blockedMs?: unknown;
  frames?: unknown;
  pauseLatencyMs?: unknown;
  contextId?: unknown;
  hung?: unknown;
}

/**
 * This library's own files (`…/src/` or `…/dist/`, whichever build runs): a block paused inside
 * them is not recorded while it lasts, since the record would be made by code that is itself
 * half way through something.
 */
const LIBRARY_PREFIX = (() => {
  try {
    return new URL('..', import.meta.url).href;
  } catch {
    return undefined;
  }
})();

/**
 * Watches the event loop from a worker thread, as Sentry's ANR integration does: the main
 * thread bumps a heartbeat in shared memory from an unref'd timer; the worker sees when it
 * stops. Neither the timer nor the worker keeps the process alive, and nothing here throws:
 * a watchdog that cannot start or dies is reported once and the app goes on without it.
 */
export class StallWatchdog {
  private worker: Worker | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private unregisterHung: (() => void) | undefined;

  /**
   * `onHung` records a block that is still going, synchronously (it runs in the paused main
   * thread, on top of the blocking code) and returns true once the record is written.
   */
  constructor(
    readonly options: ResolvedStallOptions,
    private readonly onStall: (report: StallReport) => void,
    private readonly onHung?: (report: StallReport) => boolean,
  ) {}

  /** Starts the thread (in the background: the returned promise never rejects). */
  async start(): Promise<void> {
    if (this.worker !== undefined || this.stopped) return;
    // A debugger attached through --inspect would see its session paused by ours: no stacks then.
    const captureStack = this.options.captureStack && (await inspectorFree());
    if (this.stopped) return;
    try {
      const pollMs = Math.max(10, Math.min(250, Math.floor(this.options.thresholdMs / 10)));
      const heartbeat = new SharedArrayBuffer(4);
      const beat = new Int32Array(heartbeat);
      const base = Date.now();
      if (captureStack) exposePausedContext();
      let hungId = 0;
      const onHung = this.onHung;
      if (
        captureStack &&
        onHung !== undefined &&
        this.options.hungAfterMs > 0 &&
        LIBRARY_PREFIX !== undefined
      ) {
        const thresholdMs = this.options.thresholdMs;
        const registered = registerHungRecorder((blockedMs, frames) =>
          onHung({
            blockedMs,
            thresholdMs,
            frames: Array.isArray(frames) ? (frames as StallFrame[]) : undefined,
            pauseLatencyMs: undefined,
            context: pausedContextNow(),
            stillBlocked: true,
          }),
        );
        hungId = registered.id;
        this.unregisterHung = registered.unregister;
      }
      const worker = new Worker(STALL_WATCHDOG_SOURCE, {
        eval: true,
        workerData: {
          thresholdMs: this.options.thresholdMs,
          pollMs,
          captureStack,
          heartbeat,
          base,
          contextExpression: PAUSED_CONTEXT_EXPRESSION,
          maxFrames: MAX_FRAMES,
          hungAfterMs: hungId === 0 ? 0 : this.options.hungAfterMs,
          hungFunction: HUNG_STALL_FUNCTION,
          hungId,
          libraryPrefix: LIBRARY_PREFIX ?? '',
        },
        // Preloads (--import, --require) would run again in the watchdog, error-insight's own among them.
        execArgv: [],
        env: {},
        resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
      });
      worker.on('message', (m: WatchdogMessage) => this.received(m));
      worker.on('error', (err) => {
        reportInternalError('stall watchdog', err);
        this.stop();
      });
      worker.on('exit', () => {
        if (this.worker === worker) this.worker = undefined;
      });
      // After the listeners: adding a 'message' listener refs the worker again.
      worker.unref();
      this.worker = worker;
      this.timer = setInterval(() => Atomics.store(beat, 0, (Date.now() - base) | 0), pollMs);
      this.timer.unref();
    } catch (err) {
      reportOnce(
        'stall-watchdog',
        `stall detection is off: the watchdog thread could not start (${String(err)})`,
      );
      this.stop();
    }
  }

  private received(m: WatchdogMessage): void {
    try {
      const blockedMs =
        typeof m.blockedMs === 'number' && m.blockedMs > 0 ? m.blockedMs : this.options.thresholdMs;
      this.onStall({
        blockedMs,
        thresholdMs: this.options.thresholdMs,
        frames: Array.isArray(m.frames) ? (m.frames as StallFrame[]) : undefined,
        pauseLatencyMs: typeof m.pauseLatencyMs === 'number' ? m.pauseLatencyMs : undefined,
        context: claimPausedContext(m.contextId),
        ...(m.hung === true ? { recordedWhileBlocked: true } : {}),
      });
    } catch (err) {
      reportInternalError('stall record', err);
    }
  }

  /** Stops the heartbeat and the thread; idempotent. */
  stop(): void {
    this.stopped = true;
    this.unregisterHung?.();
    this.unregisterHung = undefined;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) worker.terminate().catch(() => {});
  }
}

/** True when the inspector exists and no debugger port is open. */
async function inspectorFree(): Promise<boolean> {
  if (!process.features.inspector) return false;
  try {
    const inspector = await import('node:inspector');
    return inspector.url() === undefined;
  } catch {
    return false;
  }
}
