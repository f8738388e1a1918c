/**
 * The one sink for error-insight's own problems. It never throws, and it says each kind of
 * problem once (with a count kept for stats), so a failing disk or collector cannot flood the
 * host's stderr.
 */

const counts = new Map<string, number>();
let writer: (line: string) => void = (line) => {
  process.stderr.write(line);
};

/** Reports a problem of kind `key` on stderr the first time it happens; later ones are only counted. */
export function reportOnce(key: string, message: string): void {
  try {
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n === 1) writer(`error-insight: ${message}\n`);
  } catch {
    // stderr itself failed (EPIPE, closed fd): nothing left to tell.
  }
}

/** Reports an internal failure of error-insight (a bug or an environment fault) once per `where`. */
export function reportInternalError(where: string, err: unknown): void {
  let detail = 'unknown error';
  try {
    detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } catch {
    // a hostile value whose toString throws
  }
  reportOnce(`internal:${where}`, `internal error in ${where} (${detail}); error-insight keeps running`);
}

/** For tests: capture the lines instead of writing them, and forget earlier counts. */
export function setDiagnosticWriter(next?: (line: string) => void): void {
  counts.clear();
  writer =
    next ??
    ((line) => {
      process.stderr.write(line);
    });
}
