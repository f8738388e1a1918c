/**
 * What a `shutdown()` tells the OTLP transports: first stop retrying (a record that could not
 * be sent stays in the local store), then, at the shutdown deadline, abort every request and
 * wait still pending. Without it the exporters' retry back-off and a collector that never
 * answers held the process 8–10 s after `shutdown()` had returned.
 */
export class ExportGate {
  private readonly controller = new AbortController();
  private drainingFlag = false;

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
  }

  /** Ends everything at once; idempotent. */
  abort(): void {
    this.drainingFlag = true;
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  /** Waits `ms` on an unref'd timer; resolves false if the gate is aborted first. */
  sleep(ms: number): Promise<boolean> {
    const signal = this.controller.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      timer.unref();
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
