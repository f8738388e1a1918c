import type { ExceptionInfo } from '../record.js';

/** A text test: a string matches as a substring, a RegExp as `test()`. */
export type TextPattern = string | RegExp;

/**
 * One entry of `ignoreErrors`. A bare string or RegExp is tested against the message and
 * against `Type: message` (so `'TypeError: fetch failed'` works too); an object matches when
 * every field it sets matches: `message`, `type` (the recorded class name) and `code`
 * (`err.code`). Strings match as substrings, except `type` and `code`, which match whole.
 */
export type IgnoreErrorPattern =
  | TextPattern
  | { message?: TextPattern; type?: TextPattern; code?: TextPattern };

/** One pattern, checked and with any stateful RegExp flag (`g`, `y`) dropped. */
interface CompiledPattern {
  message: RegExp | string | undefined;
  type: RegExp | string | undefined;
  code: RegExp | string | undefined;
  /** A bare pattern: tried on `Type: message` as well. */
  bare: boolean;
}

const KEYS = new Set(['message', 'type', 'code']);

function compileText(where: string, value: unknown): RegExp | string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    if (value === '') throw new TypeError(`error-insight: ${where} must not be an empty string`);
    return value;
  }
  // `lastIndex` of a global or sticky RegExp would make the same message match only every other time.
  if (value instanceof RegExp)
    return /[gy]/.test(value.flags) ? new RegExp(value.source, value.flags.replace(/[gy]/g, '')) : value;
  throw new TypeError(
    `error-insight: ${where} must be a string or a RegExp, got ${value === null ? 'null' : typeof value}`,
  );
}

/** Validates `ignoreErrors`; bad entries throw here, at construction. */
export function compileIgnorePatterns(patterns: unknown): readonly CompiledPattern[] {
  if (patterns === undefined) return [];
  if (!Array.isArray(patterns))
    throw new TypeError('error-insight: ignoreErrors must be an array of patterns');
  return patterns.map((p: unknown, i): CompiledPattern => {
    const where = `ignoreErrors[${i}]`;
    if (typeof p === 'string' || p instanceof RegExp) {
      return { message: compileText(where, p), type: undefined, code: undefined, bare: true };
    }
    if (p === null || typeof p !== 'object') {
      throw new TypeError(`error-insight: ${where} must be a string, a RegExp or { message, type, code }`);
    }
    const keys = Object.keys(p);
    const unknown = keys.find((k) => !KEYS.has(k));
    if (unknown !== undefined) {
      throw new TypeError(
        `error-insight: ${where} has an unknown key ${JSON.stringify(unknown)}; known: message, type, code`,
      );
    }
    const o = p as Record<string, unknown>;
    const compiled: CompiledPattern = {
      message: compileText(`${where}.message`, o.message),
      type: compileText(`${where}.type`, o.type),
      code: compileText(`${where}.code`, o.code),
      bare: false,
    };
    if (compiled.message === undefined && compiled.type === undefined && compiled.code === undefined) {
      throw new TypeError(
        `error-insight: ${where} sets none of message, type, code (it would ignore every error)`,
      );
    }
    return compiled;
  });
}

function matches(pattern: RegExp | string, value: string, whole: boolean): boolean {
  if (typeof pattern !== 'string') return pattern.test(value);
  return whole ? value === pattern : value.includes(pattern);
}

/** True when the recorded exception matches one of the patterns. */
export function isIgnored(patterns: readonly CompiledPattern[], e: ExceptionInfo): boolean {
  for (const p of patterns) {
    if (p.bare) {
      const m = p.message!;
      if (matches(m, e.message, false) || matches(m, `${e.type}: ${e.message}`, false)) return true;
      continue;
    }
    if (p.message !== undefined && !matches(p.message, e.message, false)) continue;
    if (p.type !== undefined && !matches(p.type, e.type, true)) continue;
    if (p.code !== undefined && (e.code === undefined || !matches(p.code, e.code, true))) continue;
    return true;
  }
  return false;
}
