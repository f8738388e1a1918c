/**
 * A set that stops growing at `cap` distinct values and says so: keeps memory per group bounded.
 * Most groups see one service, one host, one video: the first value is held inline and the set
 * is made on the second (10,000 groups × four sets of one each were a tenth of a report's heap).
 */
export class CappedSet {
  private one: string | undefined;
  private many: Set<string> | undefined;
  capped = false;
  constructor(private readonly cap: number) {}

  add(value: string | undefined): void {
    if (value === undefined || value === this.one) return;
    if (this.one === undefined) {
      if (this.cap < 1) this.capped = true;
      else this.one = value;
      return;
    }
    this.many ??= new Set([this.one]);
    if (this.many.has(value)) return;
    if (this.many.size >= this.cap) {
      this.capped = true;
      return;
    }
    this.many.add(value);
  }

  /** The values, in the order first added. */
  get values(): Iterable<string> {
    return this.many ?? (this.one === undefined ? [] : [this.one]);
  }

  get size(): number {
    return this.many?.size ?? (this.one === undefined ? 0 : 1);
  }

  first(n: number): string[] {
    const out: string[] = [];
    for (const value of this.values) {
      if (out.length >= n) break;
      out.push(value);
    }
    return out;
  }
}

/** Counts per key with at most `cap` keys; later keys fold into `otherKey`. */
export function countCapped(map: Map<string, number>, key: string, cap: number, otherKey = '(other)'): void {
  const current = map.get(key);
  if (current !== undefined) map.set(key, current + 1);
  else if (map.size < cap) map.set(key, 1);
  else map.set(otherKey, (map.get(otherKey) ?? 0) + 1);
}
