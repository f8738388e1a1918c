import type { Severity } from '../record.js';

/** OpenTelemetry log severity text a classification maps to. */
export type SeverityText = 'FATAL' | 'ERROR' | 'WARN';

/** A suggestion in both languages the classifier speaks. */
export interface LocalizedText {
  en: string;
  zh: string;
}

/**
 * What the classifier reads from a thrown value before trying rules: the same view for a live
 * Error, a plain object rebuilt from an OpenTelemetry exception event, or a non-Error value.
 */
export interface ClassificationSubject {
  /** `err.name`, or the `type`/`name` of a rebuilt object; `''` when there is none. */
  readonly name: string;
  /** Constructor name of a live object (`class FooError extends Error` keeps `name === 'Error'`). */
  readonly className: string;
  /** `err.message`, or `String(value)` for a primitive; at most a few KB of it. */
  readonly message: string;
  /** `err.code` as a string, else the first code found along the `cause` chain. */
  readonly code: string | undefined;
  /** HTTP status from `status`, `statusCode`, `response.status` or `response.statusCode`. */
  readonly status: number | undefined;
  /** `err.syscall` (`open`, `connect`, `spawn ffmpeg`…). */
  readonly syscall: string | undefined;
  /** Kind of a known media-tool failure line (`invalid-data`, `encoder-not-found`…). */
  readonly mediaFailure: string | undefined;
  /** Exit code of a failed child process, when the error carries one. */
  readonly exitCode: number | undefined;
  /** Signal that ended a child process, when the error carries one. */
  readonly signal: string | undefined;
  /** `typeof` the thrown value, or `'null'`. */
  readonly valueType: string;
  /** True when the value looks like an Error (a live Error or an object with a string message). */
  readonly errorLike: boolean;
}

/**
 * One entry of the ordered rule table. A rule matches when every criterion it sets matches
 * (a rule that sets none matches everything, which makes it a catch-all). Rules are tried in
 * order: user rules first, then the built-ins; the first match wins.
 */
export interface ClassificationRule {
  /** Stable id, recorded with the classification. A user rule with a built-in's id replaces it. */
  id: string;
  /** Error class name: matches `err.name` or the constructor name. */
  name?: string | readonly string[];
  /** `err.code` (or a code found along the `cause` chain): exact strings, or a pattern. */
  code?: string | readonly string[] | RegExp;
  /** Message pattern; a string matches as a case-sensitive substring. */
  message?: string | RegExp;
  /** HTTP status: one value or an inclusive `[min, max]` range. */
  status?: number | readonly [number, number];
  /** Kind of a parsed media-tool failure line (see `MediaFailureKind`). */
  mediaFailure?: string | readonly string[];
  /**
   * Last check, for anything the fields above cannot say. A predicate that throws counts as
   * no match (the failure is counted and reported once), so it can never break classification.
   */
  predicate?: (subject: ClassificationSubject, value: unknown) => boolean;
  category: string;
  subcategory?: string;
  severity: Severity;
  retryable: boolean;
  /** One actionable sentence; give both languages so the `zh` locale can show it. */
  suggestion: string | LocalizedText;
  /** Overrides the severity text derived from `severity` (critical → FATAL, low → WARN, else ERROR). */
  severityText?: SeverityText;
}
