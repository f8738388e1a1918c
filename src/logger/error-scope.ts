import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from '@opentelemetry/api';
import type { BreadcrumbTrail } from '../breadcrumbs/breadcrumb-trail.js';

/** What a `logErrors` or `withErrorLogging` scope tells errors recorded inside it. */
export interface ErrorScope {
  phase?: string | undefined;
  videoHash?: string | undefined;
  context?: Record<string, unknown> | undefined;
  /** When the phase of this scope started (ms since the epoch); a scope without a phase inherits it. */
  startedAt?: number | undefined;
  /**
   * Set by an inner scope when it recorded the error it is rethrowing, so this scope does not
   * record it again; needed for thrown primitives, which have no identity to remember.
   */
  recorded?: { set: boolean; value: unknown } | undefined;
  /** The scope's span: where errors go when no span is active through the OpenTelemetry context. */
  span?: Span | undefined;
  /** How much resource state errors in the scope carry; inherited by inner scopes. */
  resources?: 'full' | 'light' | undefined;
  /** Breadcrumbs of the outermost scope, shared by the scopes inside it. */
  trail?: BreadcrumbTrail | undefined;
}

// One store for the process: a scope is about where code runs, not about which logger records,
// and async work started inside a phase keeps its phase however the calls interleave.
const storage = new AsyncLocalStorage<ErrorScope>();

/** The innermost active scope, if any. */
export function currentScope(): ErrorScope | undefined {
  return storage.getStore();
}

/** Runs `fn` with `scope` merged over the enclosing one. */
export function runInScope<T>(scope: ErrorScope, fn: () => T): T {
  const outer = storage.getStore();
  const merged: ErrorScope =
    outer === undefined
      ? scope
      : {
          phase: scope.phase ?? outer.phase,
          videoHash: scope.videoHash ?? outer.videoHash,
          startedAt: scope.phase !== undefined ? scope.startedAt : outer.startedAt,
          recorded: scope.recorded,
          span: scope.span ?? outer.span,
          resources: scope.resources ?? outer.resources,
          trail: outer.trail ?? scope.trail,
          context:
            outer.context === undefined || scope.context === undefined
              ? (scope.context ?? outer.context)
              : { ...outer.context, ...scope.context },
        };
  return storage.run(merged, fn);
}
