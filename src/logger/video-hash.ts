/**
 * Finds the video hash among a function's arguments, as the original specification's decorator does: the first
 * object argument with a string `videoHash` (or `video_hash`) property.
 */
export function findVideoHash(args: readonly unknown[]): string | undefined {
  for (const arg of args) {
    if (arg === null || typeof arg !== 'object') continue;
    try {
      const candidate =
        (arg as { videoHash?: unknown }).videoHash ?? (arg as { video_hash?: unknown }).video_hash;
      if (typeof candidate === 'string' && candidate.length > 0) return candidate;
    } catch {
      // A getter that throws, or a revoked Proxy: not our business to fail the call for it.
    }
  }
  return undefined;
}
