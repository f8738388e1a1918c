import type { ActiveFile } from './active-file.js';

/** The limits a chunk must respect. */
export interface ChunkLimits {
  maxLogs: number;
  maxFileBytes: number;
  rotateDaily: boolean;
  maxWriteBytes: number;
}

/** How many pending lines go into the active file in one write. */
export interface Chunk {
  count: number;
  /** The next pending line needs a new file first. */
  rotateFirst: boolean;
}

/**
 * Plans one write: the longest run of pending lines that fits the file's record count, size and
 * day, and the per-write size. A line larger than `maxFileBytes` still goes whole, into an empty file.
 */
export function planChunk(lines: string[], times: number[], file: ActiveFile, limits: ChunkLimits): Chunk {
  let count = 0;
  let bytes = 0;
  for (let i = 0; i < lines.length; i++) {
    const lineBytes = Buffer.byteLength(lines[i]!, 'utf8');
    const size = file.bytes + bytes;
    if (
      file.records + count >= limits.maxLogs ||
      (size > 0 && size + lineBytes > limits.maxFileBytes) ||
      (limits.rotateDaily && times[i]! >= file.dayEnd)
    ) {
      return { count, rotateFirst: count === 0 };
    }
    if (count > 0 && bytes + lineBytes > limits.maxWriteBytes) break;
    count++;
    bytes += lineBytes;
  }
  return { count, rotateFirst: false };
}

/** Of a chunk of which `written` bytes landed, the complete lines: how many, and their byte length. */
export function completeLines(chunk: Buffer, written: number): { lines: number; bytes: number } {
  let lines = 0;
  let bytes = 0;
  for (let i = chunk.indexOf(10); i !== -1 && i < written; i = chunk.indexOf(10, i + 1)) {
    lines++;
    bytes = i + 1;
  }
  return { lines, bytes };
}
