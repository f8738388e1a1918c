import * as fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { STORE_GZIP_TEMP_SUFFIX } from './store-file-name.js';

/**
 * Replaces a closed store file by `<file>.gz`: compress to a private temp file, rename it into
 * place, then remove the original. A crash leaves either the original alone, or both (readers
 * prefer the `.gz`), never a half-written `.gz` under the real name.
 */
export async function gzipStoreFile(file: string): Promise<string> {
  // zlib loads with the first rotated file, not with the store.
  const { createGzip } = await import('node:zlib');
  const tmp = file + STORE_GZIP_TEMP_SUFFIX;
  const { O_WRONLY, O_CREAT, O_TRUNC } = fs.constants;
  const handle = await fs.promises.open(
    tmp,
    O_WRONLY | O_CREAT | O_TRUNC | (fs.constants.O_NOFOLLOW ?? 0),
    0o600,
  );
  await pipeline(fs.createReadStream(file), createGzip(), handle.createWriteStream());
  await fs.promises.chmod(tmp, 0o600);
  await fs.promises.rename(tmp, `${file}.gz`);
  await fs.promises.unlink(file);
  return `${file}.gz`;
}
