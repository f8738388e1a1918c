/**
 * The command's exit codes, mapped from the stable error codes of the library. Scripts may
 * rely on them; see `docs/cli.md`.
 */

/** Exit codes of `error-insight`. */
export const EXIT = {
  ok: 0,
  /** An unexpected failure (a bug, or an I/O error with no more specific code). */
  failure: 1,
  /** Bad usage: unknown command or option, bad flag value, unknown format. */
  usage: 2,
  /** The store directory (or store file) does not exist. */
  noInput: 3,
  /** An input file or directory exists but cannot be read, or is not a store. */
  unreadable: 4,
  /** The report could not be written (refused symlink, permission, full disk). */
  cannotWrite: 5,
} as const;

const BY_CODE: Record<string, number> = {
  ERR_REPORT_INVALID_OPTION: EXIT.usage,
  ERR_REPORT_UNKNOWN_FORMAT: EXIT.usage,
  ERR_REPORT_NO_SOURCE: EXIT.usage,
  ERR_REPORT_STORE_MISSING: EXIT.noInput,
  ERR_REPORT_FILE_UNREADABLE: EXIT.unreadable,
  ERR_REPORT_NOT_A_STORE: EXIT.unreadable,
  ERR_REPORT_OUTPUT_SYMLINK: EXIT.cannotWrite,
  ERR_REPORT_OUTPUT_FAILED: EXIT.cannotWrite,
  ERR_CLI_USAGE: EXIT.usage,
  ENOENT: EXIT.noInput,
  EACCES: EXIT.unreadable,
  EPERM: EXIT.unreadable,
  ENOTDIR: EXIT.noInput,
};

/** The exit code for an error, by its `code`. */
export function exitCodeFor(error: unknown): number {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (BY_CODE[code] ?? EXIT.failure) : EXIT.failure;
}
