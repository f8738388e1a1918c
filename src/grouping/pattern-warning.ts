/** The patterns {@link PatternDetector} recognizes. */
export type PatternKind =
  | 'recurring'
  | 'spike'
  | 'new'
  | 'regression'
  | 'systemic'
  | 'input-specific'
  | 'memory-pressure'
  | 'resource-correlated';

/** One early warning about a pattern of errors. */
export interface PatternWarning {
  kind: PatternKind;
  /** The fingerprint the warning is about, when it is about one. */
  fingerprint?: string;
  /** The video the warning is about (input-specific). */
  videoHash?: string;
  /** Message template of the fingerprint, when known. */
  template?: string;
  /** One English sentence for the stderr line and the span event. */
  message: string;
  /** The count that crossed the threshold (errors, videos, phases… see `message`). */
  count: number;
  /** The threshold that was crossed. */
  threshold: number;
  /** Length of the window the count is taken over, ms. */
  window: number;
  /** ISO time of the first error counted in the window. */
  firstAt: string;
  /** ISO time of the error that raised the warning. */
  at: string;
  /** Kind-specific figures (baseline rate, quiet period, resource name…). */
  details?: Record<string, string | number | boolean>;
}
