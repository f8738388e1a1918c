import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const mounted: string[] = [];

/** Unmounts every tmpfs made here; call it from the test file's own `afterAll`. */
export function unmountAll(): void {
  for (const dir of mounted.splice(0)) {
    execFileSync('umount', [dir]);
    fs.rmdirSync(dir);
  }
}

/**
 * A real tmpfs of `size` (e.g. `'256k'`); the test file unmounts it with {@link unmountAll}. Returns the
 * reason instead when the system refuses the mount (not root, no CAP_SYS_ADMIN), so the caller
 * can skip with that reason shown.
 */
export function mountTmpfs(size: string): { dir: string } | { refused: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ei-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    fs.rmdirSync(dir);
    return { refused: String((err as { stderr?: Buffer }).stderr ?? err).trim() || 'mount failed' };
  }
  mounted.push(dir);
  return { dir };
}

/** Remounts a tmpfs made by {@link mountTmpfs} read-only (`'ro'`) or writable (`'rw'`). */
export function remount(dir: string, mode: 'ro' | 'rw'): void {
  execFileSync('mount', ['-o', `remount,${mode}`, dir]);
}

/**
 * Fills the file system at `dir` until the kernel says ENOSPC, then frees `leaveBytes` again
 * (rounded to pages). Returns the filler's path; unlink it to free the space.
 */
export function fill(dir: string, leaveBytes = 0): string {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  const block = Buffer.alloc(4096, 1);
  let size = 0;
  try {
    for (;;) size += fs.writeSync(fd, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
  if (leaveBytes > 0) fs.truncateSync(filler, Math.max(0, size - Math.ceil(leaveBytes / 4096) * 4096));
  return filler;
}
