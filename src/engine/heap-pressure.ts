/**
 * When the heap is near its limit, a fatal out-of-memory crash may come at any allocation and
 * takes every record still in memory with it; from then on records are written at once.
 *
 * `heapUsed / heapLimit` alone does not say it: V8's `heap_size_limit` includes the young
 * generation's reserve, which old space never gets. Measured here (Node 20): with
 * `--max-old-space-size=64` the limit is 112 MiB and the process died at 64 MiB used (ratio
 * 0.57); with 256, at 0.84. So what counts is the headroom, against a margin that covers that
 * reserve (48 MiB here) and a tenth of the limit for large heaps.
 */
const YOUNG_RESERVE_BYTES = 64 * 1024 * 1024;

function margin(limit: number): number {
  return YOUNG_RESERVE_BYTES + limit / 10;
}

/**
 * Whether the heap counts as near its limit, with hysteresis: entered when the headroom is
 * under the margin, left when it is back over twice the margin (a GC that frees a little does
 * not flip it back and forth).
 */
export function nearHeapLimit(used: number, limit: number, wasNear: boolean): boolean {
  if (!(limit > 0)) return false;
  const headroom = limit - used;
  return wasNear ? headroom < 2 * margin(limit) : headroom < margin(limit);
}
