// The original specification's context manager, as a callback: any error inside is recorded with the phase and
// video, then rethrown (or swallowed with `rethrow: false`).
import { getExportLogger } from 'error-insight';

const logger = getExportLogger();

function encodeVideo(): never {
  throw new RangeError('Invalid bitrate 0k for 1920x1080 at frame 1200');
}

// Swallow the error after recording it, and carry on.
const result = logger.logErrors({ phase: 'ENCODING', videoHash: '3a7bd3e2f', rethrow: false }, () =>
  encodeVideo(),
);
console.log(`result after a recorded error: ${result}`);

// The default rethrows: the caller still sees the error.
try {
  await logger.logErrors({ phase: 'ENCODING', videoHash: '3a7bd3e2f' }, async () => encodeVideo());
} catch (e) {
  console.log(`rethrown: ${(e as Error).message}`);
}

// Normal execution goes on.
console.log('完成');
const stats = logger.getErrorStats();
console.log(`total ${stats.totalErrors}, unique ${stats.uniqueErrors}`);
await logger.flush();
