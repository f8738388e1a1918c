import { randomBytes } from 'node:crypto';

// One random tag per process start: ids stay unique across processes and restarts without
// coordination, and sort by time within a process (time first, then a counter).
const processTag = randomBytes(4).toString('hex');
let lastMs = 0;
let seq = 0;

/** A stable, unique, time-ordered record id, e.g. `mbx3k2a1-0001-9f1c2e4a`. */
export function nextRecordId(nowMs: number): string {
  if (nowMs === lastMs) {
    seq++;
  } else {
    lastMs = nowMs;
    seq = 0;
  }
  return `${nowMs.toString(36).padStart(9, '0')}-${seq.toString(36).padStart(4, '0')}-${processTag}`;
}
