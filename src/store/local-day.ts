/**
 * Epoch ms of the next local midnight after `epochMs`. Built from calendar fields, not by adding
 * 24 h, so days of 23 h and 25 h (daylight-saving changes) end at the right instant.
 */
export function nextLocalMidnight(epochMs: number): number {
  const d = new Date(epochMs);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, 0, 0, 0, 0).getTime();
}
