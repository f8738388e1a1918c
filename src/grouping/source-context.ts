/**
 * `exception.sourceContext`: the lines of source around each in-app frame, as Sentry and Elastic
 * show them beside a stack trace. Bounded (frames, lines, characters per line) and redacted: a
 * line of source can hold a credential as well as a message can.
 */
import type { Redactor } from '../capture/redactor.js';
import { truncateText } from '../capture/truncate-text.js';
import type { SourceContextFrame } from '../record.js';
import { type ContextFrame, contextFrames } from './frame-context.js';
import { type SourceFiles, sharedSourceFiles } from './source-files.js';

/** In-app frames given their lines. */
export const MAX_SOURCE_CONTEXT_FRAMES = 5;
/** Characters kept of one line of source. */
export const MAX_SOURCE_LINE_CHARS = 200;

/** Builds source context for one engine (its redactor and project root), cached per frame text. */
export class SourceContextBuilder {
  private readonly cache = new WeakMap<readonly ContextFrame[], SourceContextFrame[] | null>();

  constructor(
    private readonly redactor: Redactor,
    private readonly projectRoot: string,
    private readonly files: SourceFiles = sharedSourceFiles,
  ) {}

  /** The source context of a stack trace, or undefined when no in-app frame has a readable line. Never throws. */
  build(stacktrace: string | undefined): SourceContextFrame[] | undefined {
    try {
      const before = this.files.transientFailures;
      const frames = contextFrames(stacktrace, this.projectRoot, MAX_SOURCE_CONTEXT_FRAMES, this.files);
      if (frames.length === 0) return undefined;
      // contextFrames gives one array per site: its identity is the key.
      let known = this.cache.get(frames);
      if (known === undefined) {
        known = this.make(frames);
        if (this.files.transientFailures === before) this.cache.set(frames, known);
      }
      // Records of one site share the array, as they share other parts of a repeated exception.
      return known ?? undefined;
    } catch {
      return undefined;
    }
  }

  private make(frames: readonly ContextFrame[]): SourceContextFrame[] | null {
    const out: SourceContextFrame[] = [];
    for (const f of frames) {
      if (f.contextLine === undefined || f.line === undefined) continue;
      out.push({
        function: this.line(f.function),
        file: this.line(f.file),
        line: f.line,
        pre: (f.pre ?? []).map((l) => this.line(l)),
        context: this.line(f.contextLine),
        post: (f.post ?? []).map((l) => this.line(l)),
      });
    }
    return out.length === 0 ? null : out;
  }

  private line(text: string): string {
    const cut = text.length > MAX_SOURCE_LINE_CHARS ? truncateText(text, MAX_SOURCE_LINE_CHARS) : text;
    return this.redactor.redactString(cut.replace(/\t/g, '  '));
  }
}
