/**
 * Stable error codes of the report generator and the CLI. The CLI maps them to exit codes, so
 * a code, once published, keeps its meaning.
 */
export type ReportErrorCode =
  | 'ERR_REPORT_INVALID_OPTION'
  | 'ERR_REPORT_UNKNOWN_FORMAT'
  | 'ERR_REPORT_NO_SOURCE'
  | 'ERR_REPORT_STORE_MISSING'
  | 'ERR_REPORT_FILE_UNREADABLE'
  | 'ERR_REPORT_NOT_A_STORE'
  | 'ERR_REPORT_OUTPUT_SYMLINK'
  | 'ERR_REPORT_OUTPUT_FAILED';

/** A failure of report generation that a caller can act on; `code` is stable. */
export class ReportError extends Error {
  readonly code: ReportErrorCode;
  constructor(code: ReportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReportError';
    this.code = code;
  }
}

/** A bad argument to `generateReport` (unknown format, bad filter): thrown at the call. */
export class ReportOptionError extends TypeError {
  readonly code: ReportErrorCode;
  constructor(code: ReportErrorCode, message: string) {
    super(message);
    this.name = 'ReportOptionError';
    this.code = code;
  }
}
