import { isErrorObject, readField } from '../capture/error-fields.js';
import type { Fingerprint } from '../grouping/fingerprint.js';
import type { ExceptionInfo } from '../record.js';

/** What a storm repeats: the normalized exception of one site and message, and its fingerprint. */
interface Known {
  signature: string;
  exception: ExceptionInfo;
  fingerprint: Fingerprint | undefined;
  /** The phase the fingerprint was made with, when it depends on it (no in-app frames). */
  phase: string | undefined;
  phaseMatters: boolean;
}

/**
 * Raw stacks remembered; each is a few hundred bytes to a few KiB. A plain Map cleared when
 * full, not an LRU: errors whose messages never repeat (`boom 1`, `boom 2`…) pass through it,
 * and an LRU's moves and evictions cost them more (measured: ~7 µs an error) than a storm of a
 * few hundred sites gains.
 */
const MAX_KNOWN = 1024;
const MAX_STACK_CHARS = 16_384;

/**
 * The fold decision before anything is built: an Error whose stack text (as V8 printed it, so
 * the same site and message), class, code and own keys match one seen before normalizes to the
 * same exception and fingerprint, so a repeat costs a lookup instead of a normalization, a
 * redaction pass and a fingerprint. Errors with a cause, members or own properties always take
 * the full path. Never throws.
 */
export class RepeatCache {
  private readonly known = new Map<string, Known>();

  /** The key and signature of an Error that may repeat, or undefined when it cannot be cached. */
  probe(thrown: unknown): { stack: string; signature: string } | undefined {
    try {
      if (thrown === null || typeof thrown !== 'object' || !isErrorObject(thrown)) return undefined;
      const stack = readField(thrown, 'stack');
      if (typeof stack !== 'string' || stack.length > MAX_STACK_CHARS) return undefined;
      if (readField(thrown, 'cause') !== undefined || readField(thrown, 'errors') !== undefined)
        return undefined;
      if (Object.keys(thrown).some((k) => k !== 'code' && k !== 'errno' && k !== 'syscall' && k !== 'path'))
        return undefined;
      const e = thrown as Record<string, unknown>;
      // The constructor too: two classes that leave `name` alone print the same stack header.
      const ctor = readField(e, 'constructor') as { name?: unknown } | undefined;
      const signature = `${String(readField(e, 'name'))}\u0000${String(ctor?.name)}\u0000${String(readField(e, 'message'))}\u0000${String(
        e.code,
      )}\u0000${String(e.errno)}\u0000${String(e.syscall)}\u0000${String(e.path)}`;
      return { stack, signature };
    } catch {
      return undefined;
    }
  }

  /** A copy of the exception last normalized for this probe, and its fingerprint when reusable. */
  lookup(
    probe: { stack: string; signature: string },
    phase: string | undefined,
  ): { exception: ExceptionInfo; fingerprint: Fingerprint | undefined } | undefined {
    const k = this.known.get(probe.stack);
    if (k === undefined || k.signature !== probe.signature) return undefined;
    const fingerprint = k.phaseMatters && k.phase !== phase ? undefined : k.fingerprint;
    return { exception: { ...k.exception }, fingerprint };
  }

  /** Remembers a normalization (only of a plain exception that nothing had to cut). */
  remember(
    probe: { stack: string; signature: string },
    exception: ExceptionInfo,
    fingerprint: Fingerprint | undefined,
    phase: string | undefined,
  ): void {
    if (exception.truncated || exception.properties || exception.causes || exception.errors) return;
    const phaseMatters = exception.stacktrace === undefined || !exception.stacktrace.includes('\n    at ');
    if (this.known.size >= MAX_KNOWN) this.known.clear();
    this.known.set(probe.stack, {
      signature: probe.signature,
      exception: { ...exception },
      fingerprint,
      phase,
      phaseMatters,
    });
  }
}
