import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  compareStoreFileNames,
  parseStoreFileName,
  STORE_GZIP_TEMP_SUFFIX,
  type StoreFileName,
} from './store-file-name.js';
import { DEFAULT_STORE_OPTIONS } from './store-options.js';

/** Options of {@link pruneStore}; `0` turns a limit off. */
export interface PruneStoreOptions {
  /** @default 30 */
  retentionDays?: number;
  /** @default 512 MiB */
  maxTotalBytes?: number;
  /** Epoch ms taken as "now". @default Date.now() */
  now?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** True when a process with this pid exists on this host (EPERM: it exists, owned by someone else). */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Candidate extends StoreFileName {
  path: string;
  size: number;
  /** Last activity: the later of mtime and the time in the name (clocks in tests may run ahead). */
  lastActive: number;
  protected: boolean;
}

async function unlinkQuietly(p: string, removed: string[]): Promise<boolean> {
  try {
    await fs.promises.unlink(p);
    removed.push(p);
    return true;
  } catch (err) {
    // ENOENT: another process pruned it first. EPERM/EBUSY: retried at the next sweep.
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * Removes the store's own files that are older than `retentionDays`, then the oldest beyond
 * `maxTotalBytes`. It only considers regular files whose name matches the store pattern exactly,
 * and never removes the newest uncompressed file of a writer whose process is alive (its active
 * file). Safe to run from several processes at once.
 */
export async function pruneStore(
  dir: string,
  options: PruneStoreOptions = {},
): Promise<{ removed: string[] }> {
  const retentionDays = options.retentionDays ?? DEFAULT_STORE_OPTIONS.retentionDays;
  const maxTotalBytes = options.maxTotalBytes ?? DEFAULT_STORE_OPTIONS.maxTotalBytes;
  const now = options.now ?? Date.now();
  const removed: string[] = [];
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { removed };
    throw err;
  }
  const present = new Set(names);
  const files: Candidate[] = [];
  const newestSeq = new Map<string, number>();
  for (const name of names) {
    if (name.endsWith(STORE_GZIP_TEMP_SUFFIX)) {
      // A compression that died with its process: the original is still there.
      const parsed = parseStoreFileName(name.slice(0, -STORE_GZIP_TEMP_SUFFIX.length));
      if (parsed && !isAlive(parsed.pid)) await unlinkQuietly(path.join(dir, name), removed);
      continue;
    }
    const parsed = parseStoreFileName(name);
    if (!parsed) continue;
    const p = path.join(dir, name);
    let st: fs.Stats;
    try {
      st = await fs.promises.lstat(p);
    } catch {
      continue;
    }
    if (!st.isFile()) continue;
    if (!parsed.gzip && present.has(`${name}.gz`)) {
      // Compressed and renamed into place, but the original was not removed yet.
      if (!isAlive(parsed.pid)) await unlinkQuietly(p, removed);
      continue;
    }
    const key = `${parsed.pid}-${parsed.runId}`;
    newestSeq.set(key, Math.max(newestSeq.get(key) ?? 0, parsed.sequence));
    files.push({
      ...parsed,
      path: p,
      size: st.size,
      lastActive: Math.max(st.mtimeMs, parsed.time),
      protected: false,
    });
  }
  for (const f of files) {
    f.protected = !f.gzip && newestSeq.get(`${f.pid}-${f.runId}`) === f.sequence && isAlive(f.pid);
  }
  files.sort(compareStoreFileNames);
  let kept: Candidate[] = [];
  for (const f of files) {
    // An empty file left by a writer that died (e.g. an open raced by its exit flush).
    if (f.size === 0 && !f.protected && !isAlive(f.pid) && (await unlinkQuietly(f.path, removed))) continue;
    kept.push(f);
  }
  const survivors = kept;
  kept = [];
  if (retentionDays > 0 && Number.isFinite(retentionDays)) {
    const cutoff = now - retentionDays * DAY_MS;
    for (const f of survivors) {
      if (!f.protected && f.lastActive < cutoff && (await unlinkQuietly(f.path, removed))) continue;
      kept.push(f);
    }
  } else {
    kept = survivors;
  }
  if (maxTotalBytes > 0) {
    let total = kept.reduce((sum, f) => sum + f.size, 0);
    for (const f of kept) {
      if (total <= maxTotalBytes) break;
      if (!f.protected && (await unlinkQuietly(f.path, removed))) total -= f.size;
    }
  }
  return { removed };
}
