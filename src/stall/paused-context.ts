import { type Span, trace } from '@opentelemetry/api';
import type { TrailMark } from '../breadcrumbs/breadcrumb-trail.js';
import { currentTrail, recordingBreadcrumbs } from '../breadcrumbs/breadcrumb-trails.js';
import { currentScope, type ErrorScope } from '../logger/error-scope.js';

/**
 * The async context of the code that blocked the loop. The watchdog thread calls the function
 * below through the inspector while the main thread is paused inside the block, so it runs on
 * top of the blocking code and sees its AsyncLocalStorage and OpenTelemetry context. It keeps
 * the references here and returns a number that the watchdog's message carries back.
 */
export interface PausedContext {
  scope: ErrorScope | undefined;
  span: Span | undefined;
  breadcrumbs: TrailMark | undefined;
}

const KEY = Symbol.for('error-insight.stall-context');
/** The expression the watchdog evaluates in the paused main thread. */
export const PAUSED_CONTEXT_EXPRESSION = `globalThis[Symbol.for('error-insight.stall-context')]()`;
/** Contexts taken and not claimed yet (bounded: one per stall, claimed right after it). */
const taken = new Map<number, PausedContext>();
const MAX_TAKEN = 8;
let nextId = 1;

/** The async context of the code running now (on top of the blocking code, when paused in it). */
export function pausedContextNow(): PausedContext {
  const scope = currentScope();
  const span = trace.getActiveSpan() ?? scope?.span;
  let breadcrumbs: TrailMark | undefined;
  if (recordingBreadcrumbs()) {
    const trail = currentTrail(span);
    breadcrumbs = { trail, seq: trail.seq };
  }
  return { scope, span, breadcrumbs };
}

function takePausedContext(): number {
  try {
    const context = pausedContextNow();
    const id = nextId++;
    if (taken.size >= MAX_TAKEN) taken.delete(taken.keys().next().value as number);
    taken.set(id, context);
    return id;
  } catch {
    return 0;
  }
}

/** Puts the function the watchdog calls on the global object (not enumerable; idempotent). */
export function exposePausedContext(): void {
  const g = globalThis as unknown as Record<symbol, unknown>;
  if (typeof g[KEY] === 'function') return;
  Object.defineProperty(globalThis, KEY, {
    value: takePausedContext,
    configurable: true,
    enumerable: false,
    writable: false,
  });
}

/** The context a stall message refers to, once. */
export function claimPausedContext(id: unknown): PausedContext | undefined {
  if (typeof id !== 'number') return undefined;
  const context = taken.get(id);
  taken.delete(id);
  return context;
}

/**
 * A block that goes on past `hungAfterMs` is recorded while it lasts: the watchdog evaluates
 * `HUNG_STALL_EXPRESSION(id, blockedMs, frames)` in the paused main thread, which calls the
 * recorder its watchdog registered under `id` (several loggers may each watch). It returns true
 * once the record is written.
 */
const HUNG_KEY = Symbol.for('error-insight.stall-hung');
export const HUNG_STALL_FUNCTION = `globalThis[Symbol.for('error-insight.stall-hung')]`;
type HungRecorder = (blockedMs: number, frames: unknown) => boolean;
const recorders = new Map<number, HungRecorder>();
let nextRecorder = 1;

/** Registers `recorder` for the watchdog that will name `id`; returns the id and a way to unregister. */
export function registerHungRecorder(recorder: HungRecorder): { id: number; unregister: () => void } {
  const g = globalThis as unknown as Record<symbol, unknown>;
  if (typeof g[HUNG_KEY] !== 'function') {
    Object.defineProperty(globalThis, HUNG_KEY, {
      value: (id: unknown, blockedMs: unknown, frames: unknown): boolean => {
        try {
          const r = typeof id === 'number' ? recorders.get(id) : undefined;
          return r !== undefined && typeof blockedMs === 'number' ? r(blockedMs, frames) : false;
        } catch {
          return false;
        }
      },
      configurable: true,
      enumerable: false,
      writable: false,
    });
  }
  const id = nextRecorder++;
  recorders.set(id, recorder);
  return { id, unregister: () => recorders.delete(id) };
}
