/** A set that stops growing at `cap` distinct values and says so: keeps memory per group bounded. */
export class CappedSet {
  readonly values = new Set<string>();
  capped = false;
  constructor(private readonly cap: number) {}

  add(value: string | undefined): void {
    if (value === undefined || this.values.has(value)) return;
    if (this.values.size >= this.cap) {
      this.capped = true;
      return;
    }
    this.values.add(value);
  }

  get size(): number {
    return this.values.size;
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
