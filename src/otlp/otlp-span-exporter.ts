import { context } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode, suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { Redactor } from '../capture/redactor.js';
import { reportOnce } from '../diag/diagnostics.js';
import type { ExportCounters } from './export-counters.js';
import type { ExportGate } from './export-gate.js';
import type { OtlpSignalSettings } from './otlp-exporter-factory.js';
import { redactSpanExceptions } from './redact-span-exceptions.js';

/**
 * Spans per request, serialized in one go. The stock batch processor hands over up to 512
 * spans from inside the `span.end()` that fills the batch, and the stock exporter serializes
 * them there: 6 ms median, 15 ms at worst here (protobuf, Node 20, one exception event per
 * span). 32 such spans take 0.4–0.6 ms.
 */
export const SPANS_PER_REQUEST = 32;
/** A turn starts another request only while it has used less than this (ms). */
const TURN_BUDGET_MS = 0.5;

/** Slices in flight at once; the SDK delegate refuses more than 30 outright. */
export const MAX_REQUESTS_IN_FLIGHT = 8;
/** Spans waiting for a slot, as the stock batch processor's queue (2048). Past it they are dropped. */
export const MAX_QUEUED_SPANS = 2048;

type Exporter = {
  export(items: ReadableSpan[], done: (result: ExportResult) => void): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
};

/**
 * The OTLP span exporter error-insight puts behind a batch processor when a traces endpoint
 * is configured. The OTLP modules (exporter base, transformer, protobuf) are loaded with
 * `import()` on a later turn ({@link OtlpSpanExporter.preload}) or on the first export, so a
 * registration costs nothing for them. A batch is taken
 * at once and acknowledged, so the batch processor's export timer (a ref'd 30 s timeout) never
 * waits on the network; it is serialized later, {@link SPANS_PER_REQUEST} spans per
 * `setImmediate` turn at a time (more while the turn is under 0.5 ms), never on the turn of the `span.end()` that filled the batch. `forceFlush()`
 * resolves when everything taken has been sent or has failed.
 */
export class OtlpSpanExporter implements SpanExporter {
  private real: Exporter | undefined;
  private loading: Promise<Exporter | undefined> | undefined;
  private queue: ReadableSpan[] = [];
  private inFlight = 0;
  private scheduled = false;
  private dropped = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly load: () => Promise<Exporter>;

  constructor(
    settings: OtlpSignalSettings,
    gate: ExportGate,
    private readonly counters?: ExportCounters,
    private readonly redactor = new Redactor(),
  ) {
    this.load = () =>
      import('./otlp-exporter-factory.js').then((m) =>
        m.createSpanExporter(settings, gate, () => {
          if (counters) counters.retries++;
        }),
      );
    counters?.addQueue(() => this.queue.length);
  }

  /** Spans dropped because the queue was full (collector slow or away). */
  get droppedSpans(): number {
    return this.dropped;
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const room = MAX_QUEUED_SPANS - this.queue.length;
    if (room < spans.length) {
      this.dropped += spans.length - Math.max(0, room);
      if (this.counters) this.counters.droppedSpans += spans.length - Math.max(0, room);
      reportOnce('otlp-queue-full', 'OTLP export queue full: spans dropped (records stay in the store)');
    }
    for (let i = 0; i < Math.min(room, spans.length); i++) this.queue.push(spans[i] as ReadableSpan);
    this.schedule();
    done({ code: ExportResultCode.SUCCESS });
  }

  forceFlush(): Promise<void> {
    if (this.isIdle()) return this.real?.forceFlush() ?? Promise.resolve();
    // Sockets and back-off timers are unref'd: an awaited flush (bounded by the request timeout)
    // holds the process itself, or Node could exit under a top-level `await` with it unsettled.
    const hold = setInterval(() => {}, 60_000);
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve))
      .then(() => this.real?.forceFlush())
      .finally(() => clearInterval(hold));
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    await this.real?.shutdown();
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0;
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0) return;
    this.scheduled = true;
    // Unref'd: a queued export never keeps the process alive (shutdown() holds it while it drains).
    setImmediate(() => {
      this.scheduled = false;
      this.step();
    }).unref();
  }

  /**
   * Loads the OTLP modules now, off the registration's own turn. Loading them on the first
   * export put a 115–260 ms stall (measured here) into the first error storm (loading the
   * transformer and exporter base); the start of an app is a better moment.
   */
  preload(): void {
    setTimeout(() => {
      void this.loaded();
    }, 0).unref();
  }

  private loaded(): Promise<Exporter | undefined> {
    this.loading ??= this.load().then(
      (exporter) => {
        this.real = exporter;
        return exporter;
      },
      (err: unknown) => {
        reportOnce('otlp-load', `the OTLP span exporter could not be loaded: ${String(err)}`);
        return undefined;
      },
    );
    return this.loading;
  }

  private step(): void {
    if (this.real === undefined) {
      void this.loaded().then((exporter) => {
        if (exporter !== undefined) this.schedule();
        else {
          this.dropped += this.queue.length;
          if (this.counters) this.counters.droppedSpans += this.queue.length;
          this.queue = [];
          this.settleIdle();
        }
      });
      return;
    }
    const started = performance.now();
    while (
      this.inFlight < MAX_REQUESTS_IN_FLIGHT &&
      this.queue.length > 0 &&
      performance.now() - started < TURN_BUDGET_MS
    ) {
      this.send(this.real);
    }
    // At the limit a finished request schedules the next turn; spinning on immediates here
    // burned a core while the collector answered.
    if (this.inFlight < MAX_REQUESTS_IN_FLIGHT) this.schedule();
  }

  private send(real: Exporter): void {
    const slice =
      this.queue.length <= SPANS_PER_REQUEST ? this.queue : this.queue.slice(0, SPANS_PER_REQUEST);
    this.queue = slice === this.queue ? [] : this.queue.slice(SPANS_PER_REQUEST);
    this.inFlight++;
    redactSpanExceptions(slice, this.redactor);
    // The stock batch processor suppresses tracing around export; this turn is not inside it.
    context.with(suppressTracing(context.active()), () => {
      real.export(slice, (result) => {
        const c = this.counters;
        if (c !== undefined) {
          if (result.code === ExportResultCode.SUCCESS) c.sentSpans += slice.length;
          else {
            c.failedRequests++;
            c.droppedSpans += slice.length;
          }
        }
        this.inFlight--;
        this.schedule();
        this.settleIdle();
      });
    });
  }

  private settleIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
