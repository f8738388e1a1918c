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
  /** Device and inode of the store directory the file was created in. */
  dirId?: string | undefined;
}

/** Device and inode of a directory, as one comparable string. */
function identity(st: fs.Stats): string {
  return `${st.dev}:${st.ino}`;
}

/** Why the store directory cannot be written in: a symlink or a non-directory now stands there. */
function refusal(dir: string, st: fs.Stats): NodeJS.ErrnoException | undefined {
  if (st.isSymbolicLink()) {
    return Object.assign(
      new Error(`ELOOP: store directory ${dir} was replaced by a symbolic link; not following it`),
      { code: 'ELOOP' },
    );
  }
  if (!st.isDirectory()) {
    return Object.assign(new Error(`ENOTDIR: store directory ${dir} is no longer a directory`), {
      code: 'ENOTDIR',
    });
  }
  return undefined;
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

  /**
   * The identity of the store directory as it stands now; throws when a symlink or a file
   * stands in its place (the open would follow it: `O_NOFOLLOW` covers only the last component).
   * A directory that vanished is created again first. One lstat per file opened.
   */
  checkDir(): string {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.prepareDir();
      st = fs.lstatSync(this.dir);
    }
    const refused = refusal(this.dir, st);
    if (refused) throw refused;
    return identity(st);
  }

  /**
   * True while the directory at the store path is still `dirId` (not deleted, not swapped for a
   * symlink or another directory): one lstat, once per flush or background run.
   */
  async sameDir(dirId: string | undefined): Promise<boolean> {
    if (dirId === undefined) return true;
    try {
      return this.isDir(await fs.promises.lstat(this.dir), dirId);
    } catch {
      return false;
    }
  }

  /** {@link sameDir} for the synchronous writes (exit, write-through). */
  sameDirSync(dirId: string | undefined): boolean {
    if (dirId === undefined) return true;
    try {
      return this.isDir(fs.lstatSync(this.dir), dirId);
    } catch {
      return false;
    }
  }

  private isDir(st: fs.Stats, dirId: string): boolean {
    return refusal(this.dir, st) === undefined && identity(st) === dirId;
  }

  /**
   * After an open: the directory must still be the one checked before it. If it was swapped in
   * between, the new file may sit in the symlink's target: it is empty and ours, so it goes.
   */
  private confirm(file: ActiveFile): ActiveFile {
    let again: string | undefined;
    let failure: unknown;
    try {
      again = this.checkDir();
    } catch (err) {
      failure = err;
    }
    if (again === file.dirId) return file;
    try {
      this.fs.closeSync(file.fd);
      fs.unlinkSync(file.path);
    } catch {
      // Already gone with its directory.
    }
    throw (
      failure ??
      Object.assign(new Error(`EAGAIN: store directory ${this.dir} changed while a file was opened`), {
        code: 'EAGAIN',
      })
    );
  }

  /** Opens the next file for records whose first was appended at `firstTime`. */
  async open(firstTime: number): Promise<ActiveFile> {
    for (let attempt = 0; ; attempt++) {
      const { path: p, time } = this.nextName(firstTime);
      try {
        const dirId = this.checkDir();
        const fd = await this.fs.open(p, OPEN_FLAGS, 0o600);
        await this.fs.fchmod(fd, 0o600).catch(() => {});
        return this.confirm({ fd, path: p, bytes: 0, records: 0, dayEnd: nextLocalMidnight(time), dirId });
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
        const dirId = this.checkDir();
        const fd = this.fs.openSync(p, OPEN_FLAGS, 0o600);
        try {
          this.fs.fchmodSync(fd, 0o600);
        } catch {
          // The mode is already 0600 minus the umask; tightening it is best effort.
        }
        return this.confirm({ fd, path: p, bytes: 0, records: 0, dayEnd: nextLocalMidnight(time), dirId });
      } catch (err) {
        if (!this.recover(err, attempt)) throw err;
      }
    }
  }

  /** True when another attempt may succeed: the name was taken, or the directory vanished (recreated here). */
  private recover(err: unknown, attempt: number): boolean {
    if (attempt + 1 >= ATTEMPTS) return false;
    const code = errorCode(err);
    if (code === 'EEXIST' || code === 'EAGAIN') return true;
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
