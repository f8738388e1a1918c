/**
 * "Similar templates": groups whose message templates share most of their words, so a reader
 * sees that `Cannot open <path>` and `Cannot open <path> for writing` may be one problem.
 * Quadratic in the groups compared, so only the most frequent ones are compared.
 */

/** How many of the most frequent groups are compared. @default 300 */
export const SIMILAR_MAX_GROUPS = 300;
/** Jaccard similarity of word sets at or above which two templates are "similar". */
export const SIMILAR_THRESHOLD = 0.6;

function words(template: string): Set<string> {
  return new Set(
    template
      .toLowerCase()
      .split(/[^\p{L}\p{N}<>_]+/u)
      .filter((w) => w.length > 0),
  );
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

/** For each fingerprint, up to `limit` similar fingerprints, most similar first. */
export function findSimilarTemplates(
  groups: { fingerprint: string; type: string; template: string }[],
  limit = 5,
): Map<string, string[]> {
  const compared = groups.slice(0, SIMILAR_MAX_GROUPS).map((g) => ({ ...g, words: words(g.template) }));
  const result = new Map<string, string[]>();
  for (const a of compared) {
    const scored: { fingerprint: string; score: number }[] = [];
    for (const b of compared) {
      if (a === b || a.type !== b.type) continue;
      const score = jaccard(a.words, b.words);
      if (score >= SIMILAR_THRESHOLD) scored.push({ fingerprint: b.fingerprint, score });
    }
    scored.sort((x, y) => y.score - x.score);
    result.set(
      a.fingerprint,
      scored.slice(0, limit).map((s) => s.fingerprint),
    );
  }
  return result;
}
