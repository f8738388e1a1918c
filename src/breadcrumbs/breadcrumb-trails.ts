import { type Span, trace } from '@opentelemetry/api';
import { currentScope } from '../logger/error-scope.js';
import { BreadcrumbTrail, type RawBreadcrumb } from './breadcrumb-trail.js';

/**
 * Which trail an event belongs to: the trace of the span it happens in (the OpenTelemetry
 * context), else the outermost `logErrors`/`withErrorLogging` scope around it (the engine's
 * AsyncLocalStorage), else the process. Concurrent jobs with their own traces or scopes get
 * their own trails; an error reads the trail its capture resolves to the same way.
 */

/** Traces whose trails are kept; the least recently used goes first. */
const MAX_TRACES = 256;
const INVALID_TRACE = '00000000000000000000000000000000';

const processTrail = new BreadcrumbTrail();
const byTrace = new Map<string, BreadcrumbTrail>();
let lastTraceId = '';
let lastTrail: BreadcrumbTrail = processTrail;
let users = 0;

/** True while some logger records breadcrumbs. */
export function recordingBreadcrumbs(): boolean {
  return users > 0;
}

/** @internal One more logger records breadcrumbs; the returned function undoes it (once). */
export function addBreadcrumbUser(): () => void {
  users++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    users--;
    if (users === 0) {
      byTrace.clear();
      lastTraceId = '';
      lastTrail = processTrail;
    }
  };
}

/** The trail of one trace. */
export function trailOfTrace(traceId: string): BreadcrumbTrail {
  if (traceId === lastTraceId) return lastTrail;
  let trail = byTrace.get(traceId);
  if (trail === undefined) {
    trail = new BreadcrumbTrail();
    if (byTrace.size >= MAX_TRACES) {
      const oldest = byTrace.keys().next();
      if (oldest.done !== true) byTrace.delete(oldest.value);
    }
  } else {
    byTrace.delete(traceId);
  }
  byTrace.set(traceId, trail);
  lastTraceId = traceId;
  lastTrail = trail;
  return trail;
}

/** A new trail for an outermost scope, when breadcrumbs are recorded. */
export function newScopeTrail(): BreadcrumbTrail | undefined {
  return users > 0 ? new BreadcrumbTrail() : undefined;
}

/** The trail of the current async context (or of `span`'s trace when given). */
export function currentTrail(span?: Span): BreadcrumbTrail {
  const scope = currentScope();
  const s = span ?? trace.getActiveSpan() ?? scope?.span;
  if (s !== undefined) {
    const id = s.spanContext().traceId;
    if (id !== INVALID_TRACE && id !== '') return trailOfTrace(id);
  }
  return scope?.trail ?? processTrail;
}

/** Adds an event to the trail of the current async context. Never throws. */
export function pushBreadcrumb(crumb: RawBreadcrumb, span?: Span): void {
  if (users === 0) return;
  try {
    currentTrail(span).push(crumb);
  } catch {
    // A context manager in a broken state: the event is not kept.
  }
}
