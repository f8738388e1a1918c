import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * How far the durable exporter got in one writer's files: every record of `file` up to
 * `records` (counted as the store reader yields them) has been sent, and every earlier file of
 * that writer too; `records: -1` stands for the whole file. `sequence` is the file's number, so a
 * position still places files after it once retention removed it.
 */
export interface ExportPosition {
  file: string;
  sequence: number;
  records: number;
}

/** The folder, inside the store directory, that holds positions and claims. */
export const POSITION_DIR = 'otlp-export';

/** Exporters alive in this process: a claim by one of them is live even though the pid is ours. */
const liveInstances = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Saved positions and the claims that say which exporter sends which writer's files, one pair
 * of small files per writer (`<pid>-<run id>`). A position is written to a temporary file,
 * synced and renamed over the old one, so a crash leaves the old position or the new one, never
 * a torn one. A claim names the exporter (pid and instance) that sends that writer's records: a
 * writer's records go out through one exporter at a time, whichever process it lives in, and a
 * claim whose exporter died is taken over.
 */
export class ExportPositions {
  readonly dir: string;
  readonly instance = randomBytes(6).toString('hex');
  private readonly held = new Set<string>();

  constructor(storeDir: string) {
    this.dir = path.join(storeDir, POSITION_DIR);
    liveInstances.add(this.instance);
  }

  /** True once any exporter has used this store (the folder exists). */
  async exists(): Promise<boolean> {
    try {
      return (await fs.promises.stat(this.dir)).isDirectory();
    } catch {
      return false;
    }
  }

  /** Whether the writer's process is still running (a writer of this process counts as running). */
  static writerAlive(pid: number): boolean {
    return pid === process.pid || pidAlive(pid);
  }

  async read(writer: string): Promise<ExportPosition | undefined> {
    try {
      const v = JSON.parse(await fs.promises.readFile(this.file(writer, 'position.json'), 'utf8')) as unknown;
      if (typeof v !== 'object' || v === null) return undefined;
      const p = v as Partial<ExportPosition>;
      return typeof p.file === 'string' && Number.isInteger(p.records) && Number.isInteger(p.sequence)
        ? { file: p.file, sequence: p.sequence as number, records: p.records as number }
        : undefined;
    } catch {
      return undefined;
    }
  }

  async save(writer: string, position: ExportPosition): Promise<void> {
    await this.ensureDir();
    const target = this.file(writer, 'position.json');
    const temp = `${target}.${this.instance}.tmp`;
    const handle = await fs.promises.open(temp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(position));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temp, target);
  }

  /** Takes (or keeps) the claim on a writer's files; false when a live exporter holds it. */
  async claim(writer: string): Promise<boolean> {
    if (this.held.has(writer) && (await this.owner(writer)) === this.instance) return true;
    this.held.delete(writer);
    await this.ensureDir();
    const claimFile = this.file(writer, 'claim');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await fs.promises.writeFile(claimFile, `${process.pid} ${this.instance}`, {
          flag: 'wx',
          mode: 0o600,
        });
        this.held.add(writer);
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return false;
      }
      const text = await fs.promises.readFile(claimFile, 'utf8').catch(() => '');
      const [pidText, instance] = text.split(' ');
      const pid = Number(pidText);
      const live =
        pid === process.pid ? liveInstances.has(instance ?? '') : Number.isInteger(pid) && pidAlive(pid);
      if (live) return instance === this.instance;
      await fs.promises.unlink(claimFile).catch(() => {});
    }
    return false;
  }

  /**
   * Removes the positions and stale claims of writers that have no file left (retention took
   * them all), so the folder does not grow with every run a store ever had.
   */
  async forget(present: ReadonlySet<string>): Promise<void> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      const writer = /^(\d+-[0-9a-z]+)\.(?:position\.json|claim)$/.exec(name)?.[1];
      if (writer === undefined || present.has(writer)) continue;
      await fs.promises.unlink(path.join(this.dir, name)).catch(() => {});
    }
  }

  /** Gives up every claim this exporter holds, so a later run takes them at once. */
  async release(): Promise<void> {
    liveInstances.delete(this.instance);
    for (const writer of this.held) {
      if ((await this.owner(writer)) === this.instance)
        await fs.promises.unlink(this.file(writer, 'claim')).catch(() => {});
    }
    this.held.clear();
  }

  private async owner(writer: string): Promise<string | undefined> {
    const text = await fs.promises.readFile(this.file(writer, 'claim'), 'utf8').catch(() => '');
    return text.split(' ')[1];
  }

  private file(writer: string, kind: string): string {
    return path.join(this.dir, `${writer}.${kind}`);
  }

  /** Creates the folder (mode 0700); its presence marks the store as one log export runs on. */
  async ensureDir(): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
  }
}
