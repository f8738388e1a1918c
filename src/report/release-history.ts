/**
 * Releases (`service.version`) as the report orders them, and what a group's releases say:
 * whether it is new in the newest release, and whether it regressed — seen again in a newer
 * release after a release in which it did not occur. Releases are ordered by the time each was
 * first seen in the records, which is the order of deployment whatever the version scheme.
 */
/** Distinct releases kept per report and per group before the rest fold into `(other)`. */
export const MAX_RELEASES = 100;

/** Occurrences of one release, within a group or the whole report. */
export interface ReleaseCount {
  count: number;
  firstMs: number;
  lastMs: number;
}

/** Per release: occurrences and first/last time; bounded by {@link MAX_RELEASES}. */
export class ReleaseCounts {
  readonly byRelease = new Map<string, ReleaseCount>();

  add(release: string, timeMs: number): string {
    let key = release;
    let entry = this.byRelease.get(key);
    if (entry === undefined) {
      if (this.byRelease.size >= MAX_RELEASES) key = '(other)';
      entry = this.byRelease.get(key) ?? { count: 0, firstMs: timeMs, lastMs: timeMs };
      this.byRelease.set(key, entry);
    }
    entry.count++;
    if (timeMs < entry.firstMs) entry.firstMs = timeMs;
    if (timeMs > entry.lastMs) entry.lastMs = timeMs;
    return key;
  }

  /** Release names oldest first (by first time seen; `(other)` last). */
  ordered(): string[] {
    return [...this.byRelease.entries()]
      .sort((a, b) =>
        a[0] === '(other)'
          ? 1
          : b[0] === '(other)'
            ? -1
            : a[1].firstMs - b[1].firstMs || (a[0] < b[0] ? -1 : 1),
      )
      .map(([name]) => name);
  }
}

/** What a group's releases say against the report's release order. */
export interface ReleaseVerdict {
  /** First seen in the newest release while older releases exist in the records. */
  newInRelease: boolean;
  /** Seen again in `release` after `skipped`, a newer release than `after`, had none of it. */
  regressed: { release: string; after: string; skipped: string } | undefined;
}

/** Reads a group's releases against `order` (every release of the report, oldest first). */
export function releaseVerdict(group: ReleaseCounts, order: readonly string[]): ReleaseVerdict {
  const named = order.filter((r) => r !== '(other)');
  const seen = named.map((r) => group.byRelease.has(r));
  let regressed: ReleaseVerdict['regressed'];
  let lastSeenIndex = -1;
  let gap = -1;
  for (let i = 0; i < named.length; i++) {
    if (seen[i]) {
      if (gap >= 0 && lastSeenIndex >= 0) {
        regressed = {
          release: named[i] as string,
          after: named[lastSeenIndex] as string,
          skipped: named[gap] as string,
        };
      }
      lastSeenIndex = i;
      gap = -1;
    } else if (lastSeenIndex >= 0 && gap < 0) gap = i;
  }
  const firstIndex = seen.indexOf(true);
  return { newInRelease: named.length > 1 && firstIndex === named.length - 1, regressed };
}
