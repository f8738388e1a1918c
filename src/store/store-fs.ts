import * as fs from 'node:fs';

/**
 * The file operations the store writer needs, as a port: production uses {@link nodeStoreFs};
 * fault tests pass a wrapper that fails (ENOSPC, EACCES, short writes…) on demand.
 * Async calls return promises that reject with the fs error; sync calls throw it.
 */
export interface StoreFs {
  mkdirSync(path: string, mode: number): void;
  chmodSync(path: string, mode: number): void;
  open(path: string, flags: number, mode: number): Promise<number>;
  openSync(path: string, flags: number, mode: number): number;
  fchmod(fd: number, mode: number): Promise<void>;
  fchmodSync(fd: number, mode: number): void;
  /** Positional write (pwrite); resolves with the bytes written, which may be fewer than asked. */
  write(fd: number, buffer: Buffer, offset: number, length: number, position: number): Promise<number>;
  writeSync(fd: number, buffer: Buffer, offset: number, length: number, position: number): number;
  /** Link count of an open file: 0 once it was deleted underneath us. */
  fstatLinks(fd: number): Promise<number>;
  fstatLinksSync(fd: number): number;
  close(fd: number): Promise<void>;
  closeSync(fd: number): void;
}

/** The real file system. */
export const nodeStoreFs: StoreFs = {
  mkdirSync: (path, mode) => {
    fs.mkdirSync(path, { recursive: true, mode });
  },
  chmodSync: (path, mode) => fs.chmodSync(path, mode),
  open: (path, flags, mode) =>
    new Promise((resolve, reject) =>
      fs.open(path, flags, mode, (err, fd) => (err ? reject(err) : resolve(fd))),
    ),
  openSync: (path, flags, mode) => fs.openSync(path, flags, mode),
  fchmod: (fd, mode) =>
    new Promise((resolve, reject) => fs.fchmod(fd, mode, (err) => (err ? reject(err) : resolve()))),
  fchmodSync: (fd, mode) => fs.fchmodSync(fd, mode),
  write: (fd, buffer, offset, length, position) =>
    new Promise((resolve, reject) =>
      fs.write(fd, buffer, offset, length, position, (err, n) => (err ? reject(err) : resolve(n))),
    ),
  writeSync: (fd, buffer, offset, length, position) => fs.writeSync(fd, buffer, offset, length, position),
  fstatLinks: (fd) =>
    new Promise((resolve, reject) => fs.fstat(fd, (err, st) => (err ? reject(err) : resolve(st.nlink)))),
  fstatLinksSync: (fd) => fs.fstatSync(fd).nlink,
  close: (fd) => new Promise((resolve, reject) => fs.close(fd, (err) => (err ? reject(err) : resolve()))),
  closeSync: (fd) => fs.closeSync(fd),
};
