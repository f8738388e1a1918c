/**
 * A file named as a store is checked before it is read: a file that is not one (a typo'd path,
 * `/etc/shadow`) would otherwise read as a store whose every line is unreadable, an empty
 * report and exit 0.
 */
import { open } from 'node:fs/promises';
import { ReportError } from './report-error.js';

const PEEK_BYTES = 4096;
const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Resolves when `path` can be a store file: empty, gzip-compressed (a rotated file) or starting
 * with a JSON object after any NUL padding (a torn write) and whitespace. Rejects with
 * `ERR_REPORT_NOT_A_STORE` otherwise.
 */
export async function checkStoreFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(PEEK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, PEEK_BYTES, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) return;
  const first = head.findIndex((b) => b !== 0 && b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
  if (first === -1 || head[first] === 0x7b /* { */) return;
  throw new ReportError(
    'ERR_REPORT_NOT_A_STORE',
    `not an error-insight store: ${path} (a store file holds one JSON record per line; give the store directory, such as .error-insight)`,
  );
}
