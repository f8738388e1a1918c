/**
 * The fingerprint: which errors are "the same error". Versioned like Sentry's grouping configs,
 * so that records name the algorithm that grouped them and a change never silently regroups
 * old records. The algorithm is documented in docs/grouping.md.
 */
import { createHash } from 'node:crypto';
import type { ExceptionInfo } from '../record.js';
import { BoundedMap } from './bounded-map.js';
import { type ContextFrame, contextFrames, hashedFunction } from './frame-context.js';
import { normalizeMessage } from './message-template.js';
import type { SourceFiles } from './source-files.js';
import { parseStackFrames } from './stack-frames.js';

/** Version of the fingerprint algorithm; bump it on any change that regroups errors. */
export const FINGERPRINT_VERSION = '2';

/** The versions {@link fingerprintException} can compute. */
export type FingerprintVersion = '1' | '2';

/** In a custom fingerprint, stands for the default fingerprint's parts. */
export const DEFAULT_FINGERPRINT_TOKEN = '{{ default }}';

/** Context a custom fingerprint can use. */
export interface FingerprintContext {
  phase?: string;
  videoHash?: string;
}

export interface FingerprintOptions {
  /** Absolute path of the application; frames are named relative to it. */
  projectRoot: string;
  /**
   * Algorithm: `'2'` (in-app frames by function and source line) or `'1'` (by function and file,
   * with the message template always). @default '2'
   */
  version?: FingerprintVersion;
  /** Where version 2 reads source lines and source maps. @default the process-wide cache */
  sourceFiles?: SourceFiles;
  /** In-app frames used. @default 5 */
  maxFrames?: number;
  /** Causes of the `cause` chain whose type and message template take part. @default 3 */
  maxCauses?: number;
  /**
   * Custom fingerprint: return parts (the token `'{{ default }}'` stands for the default
   * fingerprint's parts) to override or extend; `undefined` keeps the default. A hook that
   * throws or returns something else than an array of strings keeps the default too.
   */
  custom?: (exception: ExceptionInfo, context: FingerprintContext) => string[] | undefined;
}

export const DEFAULT_MAX_FRAMES = 5;
export const DEFAULT_MAX_CAUSES = 3;

/** Result of {@link fingerprintException}. */
export interface Fingerprint {
  /** 16 hex characters of the SHA-1 of the parts. */
  fingerprint: string;
  /** The version that computed it ({@link FINGERPRINT_VERSION} unless asked otherwise). */
  version: string;
  /** The normalized message template. */
  template: string;
}

/**
 * Type and code, then the site (version-specific), then the phase when no frame placed the
 * error, then the causes.
 */
function defaultParts(
  exception: ExceptionInfo,
  options: FingerprintOptions,
  template: string,
  context: FingerprintContext,
): string[] {
  const parts = [`type:${exception.type}`];
  if (exception.code !== undefined) parts.push(`code:${exception.code}`);
  const frames =
    options.version === '1'
      ? pushSiteV1(parts, exception, options, template)
      : pushSiteV2(parts, exception, options, template);
  // Errors raised from the event loop (socket errors, fs.promises) carry no caller frame; the
  // phase is the one stable hint left of where they came from.
  if (frames === 0 && typeof context.phase === 'string' && context.phase !== '')
    parts.push(`phase:${context.phase}`);
  // The cause chain tells apart wrappers that share a site but not a root cause
  // (`fetch failed` from ECONNREFUSED versus ENOTFOUND).
  pushCauses(parts, exception, options);
  return parts;
}

/**
 * Version 2: in-app frames by function, file and the text of their line, so the message only
 * counts where no frame has a readable line (a message that varies with data does not split a
 * site, and two throws in one function stay apart). Returns the number of frames.
 */
function pushSiteV2(
  parts: string[],
  exception: ExceptionInfo,
  options: FingerprintOptions,
  template: string,
): number {
  const maxFrames = options.maxFrames ?? DEFAULT_MAX_FRAMES;
  const frames = contextFrames(exception.stacktrace, options.projectRoot, maxFrames, options.sourceFiles);
  const site = siteParts(frames);
  if (!site.readable) parts.push(`message:${template}`);
  if (site.text !== '') parts.push(site.text);
  return frames.length;
}

/**
 * Version 1: the message template always, then in-app frames by function and file. Returns the
 * number of frames.
 */
function pushSiteV1(
  parts: string[],
  exception: ExceptionInfo,
  options: FingerprintOptions,
  template: string,
): number {
  parts.push(`message:${template}`);
  const maxFrames = options.maxFrames ?? DEFAULT_MAX_FRAMES;
  if (exception.stacktrace === undefined || !(maxFrames > 0)) return 0;
  const site = siteFrames(exception.stacktrace, options.projectRoot, maxFrames);
  for (const f of site) parts.push(f);
  return site.length;
}

/** The frame parts of a site, joined, worked out once per site (contextFrames gives one array per site). */
const siteTexts = new WeakMap<readonly ContextFrame[], { text: string; readable: boolean }>();

function siteParts(frames: readonly ContextFrame[]): { text: string; readable: boolean } {
  const known = siteTexts.get(frames);
  if (known !== undefined) return known;
  const out: string[] = [];
  let readable = false;
  for (const f of frames) {
    const line = f.hashedLine;
    if (line !== undefined) readable = true;
    const fn = hashedFunction(f.function);
    out.push(line === undefined ? `frame:${fn}@${f.file}` : `frame:${fn}@${f.file}|${line}`);
  }
  const site = { text: out.join('\n'), readable };
  siteTexts.set(frames, site);
  return site;
}

function pushCauses(parts: string[], exception: ExceptionInfo, options: FingerprintOptions): void {
  const causes = exception.causes;
  if (causes === undefined) return;
  const maxCauses = options.maxCauses ?? DEFAULT_MAX_CAUSES;
  for (let i = 0; i < causes.length && i < maxCauses; i++) {
    const c = causes[i]!;
    parts.push(`cause:${c.type}:${c.code ?? ''}:${normalizeMessage(c.message)}`);
  }
}

function expandCustom(custom: readonly unknown[], defaults: () => string[]): string[] | undefined {
  const out: string[] = [];
  for (const p of custom) {
    if (typeof p !== 'string') return undefined;
    if (p === DEFAULT_FINGERPRINT_TOKEN) out.push(...defaults());
    else out.push(`custom:${p}`);
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Per-site caches, sized past the engine's default of 10,000 fingerprints: with fewer entries
 * than fingerprints in play, every error missed and paid the full price again (measured: 10,000
 * distinct fingerprints made each error twice as dear).
 */
const SITE_CACHE_SIZE = 16_384;

// A storm repeats the same parts; their hash is remembered rather than recomputed (SHA-1 of a
// few hundred bytes is ~1.5 µs, a Map hit ~0.2 µs).
const hashes = new BoundedMap<string, string>(SITE_CACHE_SIZE);

/** The in-app frame parts of a site, by the text of its frames (the same for every error thrown there). */
const sites = new BoundedMap<string, readonly string[]>(SITE_CACHE_SIZE);
let sitesKey = '';
const FRAMES_START = '\n    at ';

function siteFrames(stacktrace: string, projectRoot: string, maxFrames: number): readonly string[] {
  const at = stacktrace.indexOf(FRAMES_START);
  if (at < 0) return [];
  const key = `${maxFrames}\u0000${projectRoot}`;
  if (key !== sitesKey) {
    sites.clear();
    sitesKey = key;
  }
  const frames = stacktrace.slice(at);
  const known = sites.use(frames);
  if (known !== undefined) return known;
  const out: string[] = [];
  for (const f of parseStackFrames(frames, projectRoot, maxFrames)) {
    if (!f.inApp) continue;
    out.push(`frame:${f.function}@${f.file}`);
    if (out.length >= maxFrames) break;
  }
  return sites.set(frames, out);
}

function hashParts(parts: readonly string[]): string {
  const key = parts.join('\n');
  const known = hashes.use(key);
  if (known !== undefined) return known;
  return hashes.set(key, createHash('sha1').update(key).digest('hex').slice(0, 16));
}

/**
 * Fingerprints a normalized exception: SHA-1 (first 16 hex characters) of its type, code,
 * message template, top in-app frames (function and project-relative file, no line or column)
 * and the type, code and template of its first causes. With no in-app frames, the phase of the
 * call (when given) stands in for them. `override` (a fingerprint given on the call) wins over
 * `options.custom`; both may include {@link DEFAULT_FINGERPRINT_TOKEN}. Never throws.
 */
export function fingerprintException(
  exception: ExceptionInfo,
  options: FingerprintOptions,
  override?: string[],
  context: FingerprintContext = {},
): Fingerprint {
  try {
    return computeFingerprint(exception, options, override, context ?? {});
  } catch {
    // Only a malformed exception gets here (the engine always passes a normalized one).
    const type = String(exception?.type);
    const template = normalizeMessage(String(exception?.message ?? ''));
    return {
      fingerprint: hashParts([`type:${type}`, `message:${template}`]),
      version: options?.version === '1' ? '1' : FINGERPRINT_VERSION,
      template,
    };
  }
}

function computeFingerprint(
  exception: ExceptionInfo,
  options: FingerprintOptions,
  override: string[] | undefined,
  context: FingerprintContext,
): Fingerprint {
  const template = normalizeMessage(exception.message ?? '');
  let parts: string[] | undefined;
  let defaults: string[] | undefined;
  const getDefaults = (): string[] => {
    defaults ??= defaultParts(exception, options, template, context);
    return defaults;
  };
  if (Array.isArray(override) && override.length > 0) parts = expandCustom(override, getDefaults);
  if (parts === undefined && options.custom !== undefined) {
    try {
      const custom = options.custom(exception, context);
      if (Array.isArray(custom) && custom.length > 0) parts = expandCustom(custom, getDefaults);
    } catch {
      // A failing user hook must not lose the error: the default fingerprint stands.
    }
  }
  const version = options.version === '1' ? '1' : FINGERPRINT_VERSION;
  return { fingerprint: hashParts(parts ?? getDefaults()), version, template };
}
