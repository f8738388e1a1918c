import * as fs from 'node:fs';
import * as path from 'node:path';

/** How often a failing store looks whether the disk can take writes again. */
export const PROBE_INTERVAL_MS = 250;
/** Free space a full disk must show, beyond the next chunk, before a write is tried again. */
const FREE_SLACK_BYTES = 64 * 1024;

async function nearestExisting(dir: string): Promise<string> {
  let at = dir;
  for (let i = 0; i < 32; i++) {
    try {
      await fs.promises.lstat(at);
      return at;
    } catch {
      const up = path.dirname(at);
      if (up === at) break;
      at = up;
    }
  }
  return at;
}

/**
 * Whether the cause of the last failed write looks gone: space free again (ENOSPC, EDQUOT),
 * the directory (or the ancestor it is to be made in) writable again (EACCES, EPERM, EROFS,
 * ENOENT), or no symlink or file standing in the
 * directory's place any more (ELOOP, ENOTDIR). `undefined`: this cause cannot be seen from
 * outside (EIO…), only a write attempt tells.
 */
async function causeGone(
  dir: string,
  code: string | undefined,
  needBytes: number,
): Promise<boolean | undefined> {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT': {
      const st = await fs.promises.statfs(dir);
      return st.bavail * st.bsize >= needBytes + FREE_SLACK_BYTES;
    }
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'ENOENT':
      // A directory not made yet (the disk refused it: a recursive mkdir on a read-only file
      // system says ENOENT) is made in its nearest existing ancestor.
      await fs.promises.access(await nearestExisting(dir), fs.constants.W_OK);
      return true;
    case 'ELOOP':
    case 'ENOTDIR': {
      const st = await fs.promises.lstat(dir).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
      return st === undefined || st.isDirectory();
    }
    default:
      return undefined;
  }
}

/**
 * Watches, while the store's writes fail, for the moment they can succeed again, so the records
 * waiting in memory are written then rather than after the retry back-off (up to 30 s, during
 * which a full memory queue drops every new record). Cheap: one statfs, access or lstat per
 * interval, off the caller's path, and only while the store is failing.
 */
export class RecoveryProbe {
  private timer: NodeJS.Timeout | null = null;
  private code: string | undefined;
  private checking = false;

  constructor(
    private readonly dir: string,
    /** Bytes the next write needs (a full disk must have at least this much free). */
    private readonly needBytes: () => number,
    private readonly onRecovered: () => void,
  ) {}

  /** Starts (or retargets) watching for the cause `code` to go away. */
  arm(code: string | undefined): void {
    this.code = code;
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.check(), PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  /** Looks at once (a record was just turned away by the full memory queue). */
  now(): void {
    if (this.timer !== null) this.check();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private check(): void {
    if (this.checking) return;
    this.checking = true;
    causeGone(this.dir, this.code, this.needBytes())
      .then(
        (gone) => {
          if (gone === true && this.timer !== null) this.onRecovered();
        },
        () => {
          // Still failing (EACCES from access, say): look again next interval.
        },
      )
      .finally(() => {
        this.checking = false;
      });
  }
}
