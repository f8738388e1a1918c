/**
 * The bases a reader expands repeat lines from (see repeat-line.ts): for each fingerprint, the
 * last whole line of it in the file being read. The lines are kept as UTF-8 in slots reused
 * from file to file, so a store of 10,000 fingerprints does not keep a string per line alive
 * until its file ends; a base is parsed only when a repeat first refers to it.
 */
import { type RepeatBase, readerRepeatBase } from './repeat-line.js';
import { TextSlot } from './text-slot.js';

interface Entry {
  slot: TextSlot;
  /** The parse of the slot's text; undefined until a repeat needs it, null when it failed. */
  parsed: RepeatBase | null | undefined;
}

/** Bases per file for one reading. */
export class RepeatBases {
  private readonly live = new Map<string, Entry>();
  private readonly free: Entry[] = [];

  /** `max`: fingerprints remembered per file; later ones have no base (their repeats are unreadable). */
  constructor(private readonly max: number) {}

  /** Forgets the bases of the previous file (their slots are reused). */
  startFile(): void {
    for (const entry of this.live.values()) this.free.push(entry);
    this.live.clear();
  }

  /** A whole line of `fingerprint` read: the base of the repeats after it. */
  remember(fingerprint: string, line: string): void {
    let entry = this.live.get(fingerprint);
    if (entry === undefined) {
      if (this.live.size >= this.max) return;
      entry = this.free.pop() ?? { slot: new TextSlot(), parsed: undefined };
      this.live.set(fingerprint, entry);
    }
    entry.slot.set(line);
    entry.parsed = undefined;
  }

  /** The base a repeat of `fingerprint` refers to, when its file had one. */
  base(fingerprint: string): RepeatBase | undefined {
    const entry = this.live.get(fingerprint);
    if (entry === undefined) return undefined;
    if (entry.parsed === undefined) entry.parsed = readerRepeatBase(entry.slot.text) ?? null;
    return entry.parsed ?? undefined;
  }
}
