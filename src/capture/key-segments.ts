/**
 * Splits a property name into lower-case words: on ASCII punctuation and whitespace, and where
 * camelCase or an acronym ends (`XApiKey` → `x`, `api`, `key`; `HTTPProxy` → `http`, `proxy`).
 * Non-ASCII letters stay inside their word. Linear in the key's length.
 */
export function keySegments(key: string): string[] {
  const segments: string[] = [];
  let start = -1;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (isSeparator(c)) {
      if (start >= 0) segments.push(key.slice(start, i).toLowerCase());
      start = -1;
      continue;
    }
    if (start < 0) {
      start = i;
      continue;
    }
    const prev = key.charCodeAt(i - 1);
    const next = i + 1 < key.length ? key.charCodeAt(i + 1) : 0;
    const hump =
      isUpper(c) && (isLower(prev) || isDigit(prev) || prev >= 0x80 || (isUpper(prev) && isLower(next)));
    if (hump) {
      segments.push(key.slice(start, i).toLowerCase());
      start = i;
    }
  }
  if (start >= 0) segments.push(key.slice(start).toLowerCase());
  return segments;
}

function isSeparator(c: number): boolean {
  return c < 0x80 && !(isUpper(c) || isLower(c) || isDigit(c));
}

function isUpper(c: number): boolean {
  return c >= 0x41 && c <= 0x5a;
}

function isLower(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
