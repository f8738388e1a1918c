import type { Breadcrumb } from '../record.js';

/** What kind of event a raw breadcrumb is (see {@link RawBreadcrumb}). */
export type RawBreadcrumbKind = 'span.start' | 'span.end' | 'span.event' | 'console' | 'http';

/**
 * One event as taken on the app's path: references and numbers only, so that taking it costs a
 * small object. It becomes a {@link Breadcrumb} (formatted, bounded, redacted) only when an error
 * of its context completes.
 */
export interface RawBreadcrumb {
  /** Epoch ms. */
  readonly time: number;
  readonly kind: RawBreadcrumbKind;
  /** Span name, event name, console level (`warn`/`error`) or request method. */
  readonly name: string;
  /** Event attributes, console arguments, or the request's URL text. */
  readonly data: unknown;
  /** Duration in ms (span end, request), or -1. */
  readonly durationMs: number;
  /** Span status code (span end) or HTTP status (request; 0 when none came), else 0. */
  readonly status: number;
  /** The span an event was added to, or the error of a failed request. */
  readonly extra: unknown;
  /** @internal Formatted form, kept for the redactor that made it (errors of one context share their crumbs). */
  formatted?: { by: object; crumb: Breadcrumb | undefined; bytes: number };
}

/** Events kept per context; the `max` a logger asks for is at most this. */
export const TRAIL_CAPACITY = 64;

/**
 * The last {@link TRAIL_CAPACITY} events of one async context, in a ring. `seq` counts every
 * event ever pushed, so a capture remembers only `seq` and later reads the events up to it,
 * whatever came after.
 */
export class BreadcrumbTrail {
  private readonly slots: Array<RawBreadcrumb | undefined> = [];
  /** Events pushed so far. */
  seq = 0;

  push(crumb: RawBreadcrumb): void {
    this.slots[this.seq % TRAIL_CAPACITY] = crumb;
    this.seq++;
  }

  /** The events numbered below `upTo` still in the ring, newest first. */
  *newestFirst(upTo: number): Generator<RawBreadcrumb> {
    const oldest = Math.max(0, this.seq - TRAIL_CAPACITY);
    for (let s = Math.min(upTo, this.seq) - 1; s >= oldest; s--) {
      const crumb = this.slots[s % TRAIL_CAPACITY];
      if (crumb !== undefined) yield crumb;
    }
  }
}

/** A capture's view of a trail: the trail and how many events it had at the error. */
export interface TrailMark {
  readonly trail: BreadcrumbTrail;
  readonly seq: number;
}
