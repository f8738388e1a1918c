/**
 * One string kept outside the JS heap as UTF-8 bytes, overwritten in place. Readers of a large
 * store keep a line per fingerprint for a long while (a repeat line's base, a report group's
 * latest sample): held as strings, each one survives young-generation collections and is
 * copied into the old generation, and a line sliced from a larger decoded text keeps all of
 * that text alive with it. A slot costs one copy into a buffer it reuses.
 */
export class TextSlot {
  private bytes: Buffer | undefined;
  private length = 0;

  /** Replaces the text held. */
  set(text: string): void {
    let buf = this.bytes;
    if (buf !== undefined) {
      const written = buf.write(text, 0, 'utf8');
      // A character takes at most 4 bytes: with that much room left, nothing was cut off.
      if (written <= buf.length - 4) {
        this.length = written;
        return;
      }
    }
    const need = Buffer.byteLength(text, 'utf8');
    buf = Buffer.allocUnsafeSlow(Math.max(256, need + (need >> 2) + 4));
    this.bytes = buf;
    this.length = buf.write(text, 0, 'utf8');
  }

  /** The text last set ('' before any). */
  get text(): string {
    return this.bytes === undefined ? '' : this.bytes.toString('utf8', 0, this.length);
  }

  /** Bytes the slot holds for its buffer. */
  get capacity(): number {
    return this.bytes?.length ?? 0;
  }
}
