import type { Span } from '@opentelemetry/api';
import type { TrailMark } from '../breadcrumbs/breadcrumb-trail.js';
import type { RecordSource } from '../record.js';

/** What the caller knows about an error besides the thrown value. */
export interface CaptureInput {
  source: RecordSource;
  /** Caller context (bounded and redacted before it is kept). */
  context?: unknown;
  phase?: string | undefined;
  videoHash?: string | undefined;
  /** When the enclosing phase started (ms since the epoch). */
  phaseStartedAt?: number | undefined;
  /** How much resource state to attach. @default the monitor's mode */
  resourceMode?: 'full' | 'light' | undefined;
  /** The span to put the exception event on. @default the active span */
  span?: Span | undefined;
  /** @internal Set on the retry of a capture that ran out of stack. */
  deferred?: boolean;
  /** Put the exception event on the span. @default true */
  addEvent?: boolean;
  /** Fingerprint parts that override the default (`'{{ default }}'` stands for it). */
  fingerprint?: string[] | undefined;
  /** Complete the record before returning (for entrances that read it at once). @default false */
  sync?: boolean;
  /** @internal The breadcrumbs to attach, when taken elsewhere (a stall's, from the blocked code). @default the current context's */
  breadcrumbs?: TrailMark | undefined;
}
