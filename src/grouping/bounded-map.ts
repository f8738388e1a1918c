/** A Map with an LRU cap: `touch` marks a key as recently used; inserting past the cap drops the oldest. */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  /** Returns the value for `key`, created with `make` when absent, and marks it recently used. */
  touch(key: K, make: () => V): V {
    let v = this.map.get(key);
    if (v === undefined) {
      if (this.map.size >= this.capacity) {
        const oldest = this.map.keys().next();
        if (oldest.done !== true) this.map.delete(oldest.value);
      }
      v = make();
    } else {
      this.map.delete(key);
    }
    this.map.set(key, v);
    return v;
  }

  set(key: K, value: V): void {
    this.touch(key, () => value);
    this.map.set(key, value);
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }
}

/** The last `capacity` timestamps (ms), for "N events within a window" checks in O(1) memory per key. */
export class TimeRing {
  private readonly times: number[] = [];
  private head = 0;

  constructor(readonly capacity: number) {}

  push(t: number): void {
    if (this.times.length < this.capacity) this.times.push(t);
    else {
      this.times[this.head] = t;
      this.head = (this.head + 1) % this.capacity;
    }
  }

  /** The oldest kept timestamp, which is the N-th last one once the ring is full. */
  oldest(): number | undefined {
    return this.times.length < this.capacity ? this.times[0] : this.times[this.head];
  }

  /** True when the ring is full and all of it lies within `windowMs` before `now`. */
  fullWithin(now: number, windowMs: number): boolean {
    const o = this.oldest();
    return this.times.length === this.capacity && o !== undefined && now - o < windowMs;
  }

  /** Timestamps at or after `since`. */
  countSince(since: number): number {
    let n = 0;
    for (const t of this.times) if (t >= since) n++;
    return n;
  }

  /** The earliest timestamp at or after `since`. */
  firstSince(since: number): number | undefined {
    let first: number | undefined;
    for (const t of this.times) if (t >= since && (first === undefined || t < first)) first = t;
    return first;
  }
}
