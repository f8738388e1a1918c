/**
 * Cuts `value` to at most `max` characters and appends `…[truncated N chars]`, where N counts
 * from `originalLength` (the length before any earlier slicing). The cut never splits a
 * surrogate pair, so the result stays valid UTF-16 (and valid UTF-8 on disk).
 */
export function truncateText(value: string, max: number, originalLength = value.length): string {
  if (value.length <= max && originalLength <= value.length) return value;
  let cut = Math.min(max, value.length);
  const last = value.charCodeAt(cut - 1);
  if (cut < value.length && last >= 0xd800 && last <= 0xdbff) cut--;
  return `${value.slice(0, cut)}…[truncated ${Math.max(0, originalLength - cut)} chars]`;
}
