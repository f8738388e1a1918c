/**
 * Keeps the last `limit` bytes of a stream: ffmpeg writes progress to stderr for the whole run,
 * so stderr of a long encode is unbounded while the reason for a failure is at its end.
 */
export class StderrTail {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private cut = false;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    if (this.limit === 0) {
      this.cut = true;
      return;
    }
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    // Compact at twice the limit: amortised O(1) per byte, memory at most 2 × limit.
    if (this.bytes > 2 * this.limit) this.compact();
  }

  /** The kept bytes as UTF-8; when cut, it starts after the first line break, so no line is partial. */
  text(): string {
    this.compact();
    const buf = this.chunks[0];
    if (buf === undefined) return '';
    let text = buf.toString('utf8');
    if (this.cut) {
      const nl = text.search(/[\r\n]/);
      if (nl !== -1 && nl < text.length - 1) text = text.slice(nl + 1);
      else text = text.replace(/^\uFFFD+/, '');
    }
    return text;
  }

  private compact(): void {
    if (this.chunks.length === 0) return;
    let all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    if (all.length > this.limit) {
      all = all.subarray(all.length - this.limit);
      this.cut = true;
    }
    this.chunks = [Buffer.from(all)];
    this.bytes = all.length;
  }
}
