/**
 * Drops records whose id was seen recently: replays after a collector outage and an exception
 * sent both as span event and log record arrive close together. Remembering only the last
 * `capacity` ids keeps memory bounded; a duplicate further apart than that is counted twice.
 */
export class RecentIdFilter {
  private readonly seen = new Set<string>();
  duplicates = 0;
  constructor(private readonly capacity = 65_536) {}

  /** True the first time an id is offered (within the window). */
  accept(id: string): boolean {
    if (this.seen.has(id)) {
      this.duplicates++;
      return false;
    }
    this.seen.add(id);
    if (this.seen.size > this.capacity) {
      // Sets iterate in insertion order: the first value is the oldest id.
      for (const oldest of this.seen) {
        this.seen.delete(oldest);
        break;
      }
    }
    return true;
  }
}
