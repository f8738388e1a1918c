/** How many pending lines go into the active file in one write. */
export interface Chunk {
  count: number;
  /** The next pending line belongs to the next file: rotate first. */
  rotateFirst: boolean;
}

/**
 * Plans one write: the run of pending lines that the append side placed in `file` (by file
 * number), up to `maxWriteBytes` (at least one line, however large).
 */
export function planChunk(
  files: readonly number[],
  bytes: readonly number[],
  file: { fileNo?: number | undefined },
  maxWriteBytes: number,
): Chunk {
  if (files.length > 0 && files[0] !== file.fileNo) return { count: 0, rotateFirst: true };
  let count = 0;
  let total = 0;
  for (let i = 0; i < files.length; i++) {
    if (files[i] !== file.fileNo) break;
    const b = bytes[i]!;
    if (count > 0 && total + b > maxWriteBytes) break;
    count++;
    total += b;
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
