import * as fs from 'node:fs';
import * as path from 'node:path';
import { nextLocalMidnight } from './local-day.js';
import { formatStoreFileName, newRunId } from './store-file-name.js';
import type { StoreFs } from './store-fs.js';

/** The file a store is appending to. */
export interface ActiveFile {
  fd: number;
  path: string;
  /** Bytes written so far: the offset of the next positional write. */
  bytes: number;
  records: number;
  /** Records appended at or after this instant belong to the next day's file. */
  dayEnd: number;
  /** Which of the append side's files this is (see JsonlStore); repeat lines refer within it. */
  fileNo?: number;
}

const { O_WRONLY, O_CREAT, O_EXCL } = fs.constants;
// O_NOFOLLOW is absent on Windows; there a planted symlink is caught by the lstat in resolve.
const OPEN_FLAGS = O_WRONLY | O_CREAT | O_EXCL | (fs.constants.O_NOFOLLOW ?? 0);
const ATTEMPTS = 3;

function errorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException)?.code;
}

/**
 * Creates the store directory and this process's files in it: names carry the pid, a run id and
 * a sequence; files are created exclusively (never an existing file, never through a symlink)
 * and made 0600, the directory 0700, whatever the umask. Failures are thrown to the caller.
 */
export class ActiveFileOpener {
  private readonly runId = newRunId();
  private seq = 0;
  private lastFileTime = 0;

  constructor(
    private readonly dir: string,
    private readonly stem: string,
    private readonly fs: StoreFs,
    private readonly warn: (key: string, message: string) => void,
  ) {}

  /** Creates the directory if needed and makes it private; throws when it cannot be created. */
  prepareDir(): void {
    this.fs.mkdirSync(this.dir, 0o700);
    try {
      this.fs.chmodSync(this.dir, 0o700);
    } catch (err) {
      this.warn('chmod', `could not make ${this.dir} private (0700): ${String((err as Error).message)}`);
    }
  }

  /** Opens the next file for records whose first was appended at `firstTime`. */
  async open(firstTime: number): Promise<ActiveFile> {
    for (let attempt = 0; ; attempt++) {
      const { path: p, time } = this.nextName(firstTime);
      try {
        const fd = await this.fs.open(p, OPEN_FLAGS, 0o600);
        await this.fs.fchmod(fd, 0o600).catch(() => {});
        return { fd, path: p, bytes: 0, records: 0, dayEnd: nextLocalMidnight(time) };
      } catch (err) {
        if (!this.recover(err, attempt)) throw err;
      }
    }
  }

  /** The same, synchronously, for exit paths. */
  openSync(firstTime: number): ActiveFile {
    for (let attempt = 0; ; attempt++) {
      const { path: p, time } = this.nextName(firstTime);
      try {
        const fd = this.fs.openSync(p, OPEN_FLAGS, 0o600);
        try {
          this.fs.fchmodSync(fd, 0o600);
        } catch {
          // The mode is already 0600 minus the umask; tightening it is best effort.
        }
        return { fd, path: p, bytes: 0, records: 0, dayEnd: nextLocalMidnight(time) };
      } catch (err) {
        if (!this.recover(err, attempt)) throw err;
      }
    }
  }

  /** True when another attempt may succeed: the name was taken, or the directory vanished (recreated here). */
  private recover(err: unknown, attempt: number): boolean {
    if (attempt + 1 >= ATTEMPTS) return false;
    const code = errorCode(err);
    if (code === 'EEXIST') return true;
    if (code === 'ENOENT' && attempt === 0) {
      this.prepareDir();
      return true;
    }
    return false;
  }

  private nextName(firstTime: number): { path: string; time: number } {
    // Names never go back in time within a run, so they sort in write order even if the clock does.
    const time = Math.max(firstTime, this.lastFileTime);
    this.lastFileTime = time;
    this.seq++;
    return {
      path: path.join(this.dir, formatStoreFileName(this.stem, time, process.pid, this.runId, this.seq)),
      time,
    };
  }
}
