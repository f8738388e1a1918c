import { reportInternalError } from '../diag/diagnostics.js';
import { getExportLogger } from './default-logger.js';
import type { ExportLogger } from './export-logger.js';
import { findVideoHash } from './video-hash.js';

/** Options of {@link withErrorLogging}. */
export interface WithErrorLoggingOptions {
  /** The phase the function runs as. @default the enclosing scope's or `setContext`'s; the span is named after the function */
  phase?: string;
  /** The video hash. @default taken from the first argument with a `videoHash`/`video_hash` property */
  videoHash?: string;
  /** Rethrow after recording. With `false` the call returns `undefined` on error. @default true */
  rethrow?: boolean;
  /** Extra context for errors recorded in the call. @default none */
  context?: Record<string, unknown>;
  /** The logger to record with. @default `getExportLogger()` at call time */
  logger?: ExportLogger;
  /** `'light'`: only V8 heap-space statistics as resource state, for hot code. @default the logger's mode */
  resources?: 'full' | 'light';
}

/** Any function, whatever its `this` and parameters (`never` takes them all). */
type AnyFunction = (this: never, ...args: never[]) => unknown;
/** How the wrapper calls it: with the `this` and arguments it was itself called with. */
type CallableFunction = (this: unknown, ...args: never[]) => unknown;

/**
 * What {@link withErrorLogging} returns: a wrapper for a function, a TC39 method decorator and a
 * legacy (`experimentalDecorators`) method decorator in one, so it fits plain code, modern
 * TypeScript and NestJS-style classes alike.
 */
export interface ErrorLoggingWrapper {
  <F extends AnyFunction>(fn: F): F;
  <This, Args extends unknown[], R>(
    method: (this: This, ...args: Args) => R,
    context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => R>,
  ): (this: This, ...args: Args) => R;
  (target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
}

function wrap<F extends AnyFunction>(fn: F, name: string, options: WithErrorLoggingOptions): F {
  // Only an explicit phase is a phase: a function's name must not override the phase of an
  // enclosing scope or of setContext. It still names the span when there is no phase at all.
  const phase = options.phase;
  const spanName = options.phase ?? (name || undefined);
  const call = fn as unknown as CallableFunction;
  const wrapped = function (this: unknown, ...args: never[]): unknown {
    let logger: ExportLogger;
    try {
      logger = options.logger ?? getExportLogger();
    } catch (err) {
      // The default logger could not be made (its environment is unusable): the function runs
      // exactly as it would without error-insight, and the reason is said once.
      reportInternalError('default logger', err);
      return call.apply(this, args);
    }
    const scope = {
      ...(spanName === undefined ? {} : { name: spanName }),
      phase,
      videoHash: options.videoHash ?? findVideoHash(args),
      context: options.context,
      rethrow: options.rethrow ?? true,
      ...(options.resources === undefined ? {} : { resources: options.resources }),
    };
    return logger.logErrors(scope, () => call.apply(this, args));
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true });
  Object.defineProperty(wrapped, 'length', { value: fn.length, configurable: true });
  return wrapped as unknown as F;
}

/**
 * Adds error logging to a function or method (the original specification's `@with_error_logging`): each call runs
 * in a span named after the phase, and any error it throws or rejects with is recorded with the
 * phase and the video hash found in its arguments, then rethrown.
 *
 * @example
 * const processVideo = withErrorLogging({ phase: 'VIDEO_PROCESSING' })(async (video) => render(video));
 * class Pipeline { @withErrorLogging({ phase: 'MUXING' }) async mux(job: { videoHash: string }) {} }
 */
export function withErrorLogging(options: WithErrorLoggingOptions = {}): ErrorLoggingWrapper {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('error-insight: withErrorLogging takes an options object such as { phase }');
  }
  for (const key of ['phase', 'videoHash'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'string') {
      throw new TypeError(`error-insight: withErrorLogging option "${key}" must be a string`);
    }
  }
  return function decorate(target: unknown, second?: unknown, descriptor?: PropertyDescriptor): unknown {
    if (descriptor !== undefined && typeof descriptor.value === 'function') {
      descriptor.value = wrap(descriptor.value as AnyFunction, String(second), options);
      return descriptor;
    }
    if (typeof target === 'function') {
      const context = second as { kind?: string; name?: string | symbol } | undefined;
      if (context !== undefined && context.kind !== 'method') {
        throw new TypeError(`error-insight: withErrorLogging decorates methods, not a ${context.kind}`);
      }
      return wrap(target as AnyFunction, String(context?.name ?? (target as AnyFunction).name), options);
    }
    throw new TypeError('error-insight: withErrorLogging(...) wraps a function or decorates a method');
  } as ErrorLoggingWrapper;
}
