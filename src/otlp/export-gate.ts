/**
 * What a `shutdown()` tells the OTLP transports: first stop retrying (a record that could not
 * be sent stays in the local store), then, at the shutdown deadline, abort every request and
 * wait still pending. Without it the exporters' retry back-off and a collector that never
 * answers held the process 8–10 s after `shutdown()` had returned.
 */
export class ExportGate {
  private readonly controller = new AbortController();
  private drainingFlag = false;
  /** Back-off waits in progress: `drain()` ends them so the last attempt happens at once. */
  private readonly sleepers = new Set<() => void>();

  /** Aborted once the deadline has passed: in-flight requests and back-off waits end. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True from `drain()` on: a failed attempt is final. */
  get draining(): boolean {
    return this.drainingFlag;
  }

  /** No more retries; requests already sent may still complete. */
  drain(): void {
    this.drainingFlag = true;
    for (const wake of [...this.sleepers]) wake();
  }

  /** Ends everything at once; idempotent. */
  abort(): void {
    this.drainingFlag = true;
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  /**
   * Waits `ms` on an unref'd timer. Resolves true when the wait is over or cut short by
   * `drain()` (time for the last attempt), false if the gate is aborted.
   */
  sleep(ms: number): Promise<boolean> {
    const signal = this.controller.signal;
    if (signal.aborted) return Promise.resolve(false);
    if (this.drainingFlag) return Promise.resolve(true);
    return new Promise((resolve) => {
      const end = (result: boolean): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.sleepers.delete(wake);
        resolve(result);
      };
      const onAbort = (): void => end(false);
      const wake = (): void => end(true);
      const timer = setTimeout(wake, ms);
      timer.unref();
      signal.addEventListener('abort', onAbort, { once: true });
      this.sleepers.add(wake);
    });
  }
}
