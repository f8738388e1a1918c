import type { ErrorRecord } from '../record.js';
import { cutDeepInPlace, mayNestDeeper } from './depth-bound.js';

/**
 * Compact repeat lines. An error storm repeats one fingerprint with nearly everything equal:
 * only the id, the occurrence, the heap figure and the ages of the shared samples move. A
 * record whose fingerprint already has a whole line (its base) in the same store file is
 * written as the fields that differ from that base, and the reader rebuilds it exactly:
 *
 * - `repeatOf` names the base (its id up to the process tag) and `fingerprint` finds it;
 * - `id` leaves out its process tag when it is the base's;
 * - `time` is left out when it is the instant the id encodes;
 * - `exception`, `memory` and `resources` hold only the keys that differ; ages
 *   (`sampleAgeMs`, `…_age_ms`) are expected to grow by the time since the base, and
 *   `memory.heapUsedRatio` to be `heapUsed / heapLimit`;
 * - `exception.stacktrace` is left out when the frames are the base's and the first line is
 *   `Type: message` in both, and becomes `exception.stackHead` when only its first line differs;
 * - `$unset` lists top-level fields of the base that the record does not have.
 * Anything else that differs is written whole. Docs: docs/store.md.
 */

/** The fields a repeat line refers to. */
export interface RepeatBase {
  /** The base as the reader will see it: the parse of its line. */
  readonly record: ErrorRecord;
  readonly timeMs: number;
  /** Its id up to the process tag: what `repeatOf` holds. */
  readonly ref: string;
  /** For the writer, worked out on first use: what every repeat of this base is compared with. */
  writer?: WriterView;
  /** For readers: the base was cut for depth, so every repeat of it is too. */
  readonly shortened?: boolean;
}

/** The base's frames and first-line form, and equality results for objects records share. */
interface WriterView {
  frames: string | undefined;
  headImplied: boolean;
  /** Objects shared between records (the sampler's figures) compared once per base. */
  shared: WeakMap<object, boolean>;
}

const MERGED = new Set(['exception', 'memory', 'resources']);
const OWN_KEYS = new Set(['id', 'time', 'fingerprint']);
const FRAMES_START = '\n    at ';
const UNSET = '$unset';

type Bag = Record<string, unknown>;

function isBag(v: unknown): v is Bag {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The id's time-and-sequence part (`mbx3k2a1-0001` of `mbx3k2a1-0001-9f1c2e4a`). */
export function repeatRef(id: string): string {
  const a = id.indexOf('-');
  const b = a < 0 ? -1 : id.indexOf('-', a + 1);
  return b < 0 ? id : id.slice(0, b);
}

/** The process tag of the base's id (`-9f1c2e4a`), or '' when it has none. */
function tagOf(base: RepeatBase): string {
  return base.record.id.slice(base.ref.length);
}

let lastIdMs = Number.NaN;
let lastIdIso = '';

/** The ISO time of the instant a record id starts with, or undefined when it encodes none. */
export function timeOfId(id: string): string | undefined {
  const cut = id.indexOf('-');
  if (cut <= 0) return undefined;
  const ms = Number.parseInt(id.slice(0, cut), 36);
  if (!Number.isFinite(ms)) return undefined;
  if (ms !== lastIdMs) {
    const d = new Date(ms);
    if (Number.isNaN(d.getTime())) return undefined;
    lastIdMs = ms;
    lastIdIso = d.toISOString();
  }
  return lastIdIso;
}

/**
 * A base as readers keep it: cut for depth as its own line is (depth-bound.ts), so that the
 * repeats rebuilt from it are bounded too.
 */
export function readerRepeatBase(json: string): RepeatBase | undefined {
  const base = repeatBase(json);
  if (base === undefined || !mayNestDeeper(json)) return base;
  return cutDeepInPlace(base.record as unknown as Record<string, unknown>)
    ? { ...base, shortened: true }
    : base;
}

/** A base for later repeats: `json` is the base's line as written (without the newline). */
export function repeatBase(json: string): RepeatBase | undefined {
  try {
    const record = JSON.parse(json) as ErrorRecord;
    const timeMs = Date.parse(record.time);
    if (typeof record.id !== 'string' || !Number.isFinite(timeMs)) return undefined;
    return { record, timeMs, ref: repeatRef(record.id) };
  } catch {
    return undefined;
  }
}

/** Equality as JSON sees it, for the plain data of records (no stringify: repeats are compared often). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !same((a as Bag)[k], (b as Bag)[k])) return false;
  }
  return true;
}

function isAgeKey(key: string): boolean {
  return key === 'sampleAgeMs' || key.endsWith('_age_ms');
}

function heapRatio(m: Bag): number {
  const used = m.heapUsed as number;
  const limit = m.heapLimit as number;
  return limit > 0 ? used / limit : 0;
}

/** What a merged field of the base becomes before the repeat's own keys go over it. */
function expected(base: Bag, key: string, dt: number): Bag {
  const out: Bag = { ...base };
  if (key === 'exception') return out;
  for (const k of Object.keys(out)) {
    if (isAgeKey(k) && typeof out[k] === 'number') out[k] = (out[k] as number) + dt;
  }
  return out;
}

function framesOf(stack: string): string | undefined {
  const at = stack.indexOf(FRAMES_START);
  return at < 0 ? undefined : stack.slice(at);
}

function impliedHead(e: Bag): string {
  return e.message === '' ? String(e.type) : `${String(e.type)}: ${String(e.message)}`;
}

/** The stack the reader rebuilds for a merged exception, or undefined when it keeps the base's. */
function rebuiltStack(merged: Bag, base: Bag, partial: Bag): string | undefined {
  const baseStack = base.stacktrace;
  if (typeof baseStack !== 'string' || 'stacktrace' in partial) return undefined;
  const frames = framesOf(baseStack);
  if (frames === undefined) return undefined;
  if (typeof partial.stackHead === 'string') return partial.stackHead + frames;
  if (('message' in partial || 'type' in partial) && baseStack === impliedHead(base) + frames) {
    return impliedHead(merged) + frames;
  }
  return undefined;
}

function writerView(base: RepeatBase): WriterView {
  if (base.writer !== undefined) return base.writer;
  const e = (base.record as unknown as Bag).exception;
  const stack = isBag(e) ? e.stacktrace : undefined;
  const frames = typeof stack === 'string' ? framesOf(stack) : undefined;
  base.writer = {
    frames,
    headImplied: frames !== undefined && isBag(e) && stack === impliedHead(e) + frames,
    shared: new WeakMap(),
  };
  return base.writer;
}

/** `same`, remembering the answer for an object that records share (a resources figure). */
function sameShared(value: unknown, base: unknown, view: WriterView): boolean {
  if (value === null || typeof value !== 'object') return same(value, base);
  const known = view.shared.get(value);
  if (known !== undefined) return known;
  const answer = same(value, base);
  view.shared.set(value, answer);
  return answer;
}

/**
 * The keys of `value` that differ from `base` (ages grown by `dt`), or undefined when a key of
 * the base is missing. Nothing is copied: this runs for every repeat of a storm.
 */
function diffMerged(key: string, value: Bag, base: Bag, dt: number, view: WriterView): Bag | undefined {
  for (const k in base) if (!(k in value)) return undefined;
  const partial: Bag = {};
  const isException = key === 'exception';
  const ratio = key === 'memory' && 'heapUsedRatio' in base;
  for (const k in value) {
    const v = value[k];
    if (isException) {
      if (k === 'stacktrace' || k === 'stackHead') continue;
      // The records of one site share their source context array: compared once per base.
      if (!(k === 'sourceContext' ? sameShared(v, base[k], view) : same(v, base[k]))) partial[k] = v;
      continue;
    }
    if (ratio && k === 'heapUsedRatio') {
      if (v !== heapRatio(value)) partial[k] = v;
      continue;
    }
    const b = base[k];
    if (typeof b === 'number' && isAgeKey(k)) {
      if (v !== b + dt) partial[k] = v;
    } else if (key === 'resources' ? !sameShared(v, b, view) : !same(v, b)) {
      partial[k] = v;
    }
  }
  if (isException && (value.stacktrace !== undefined || 'stacktrace' in base)) {
    const stack = value.stacktrace;
    if (typeof stack !== 'string') return undefined;
    if (!readerRebuilds(stack, value, base, partial, view)) {
      const frames = view.frames;
      // Other frames (the same site reached through another path): better a new base.
      if (frames === undefined || !stack.endsWith(frames)) return undefined;
      partial.stackHead = stack.slice(0, stack.length - frames.length);
    }
  }
  return partial;
}

/** True when the reader's rule (see rebuiltStack) gives `stack` back without help. */
function readerRebuilds(stack: string, value: Bag, base: Bag, partial: Bag, view: WriterView): boolean {
  const frames = view.frames;
  if (frames !== undefined && view.headImplied && ('message' in partial || 'type' in partial)) {
    const head = impliedHead(value);
    return stack.length === head.length + frames.length && stack.startsWith(head) && stack.endsWith(frames);
  }
  return stack === base.stacktrace;
}

/**
 * The JSON text of `record` as a repeat of `base`, or undefined when it is better written whole
 * and made the new base: another fingerprint, other stack frames, or a field of the base that
 * the record lacks inside a merged field.
 * `timeMs` is `record.time` in epoch ms, when the caller knows it.
 */
export function encodeRepeat(
  record: ErrorRecord,
  base: RepeatBase,
  timeMs = Date.parse(record.time),
): string | undefined {
  const rec = record as unknown as Bag;
  const b = base.record as unknown as Bag;
  if (record.fingerprint !== base.record.fingerprint || typeof record.id !== 'string') return undefined;
  if (!Number.isFinite(timeMs)) return undefined;
  const view = writerView(base);
  const dt = timeMs - base.timeMs;
  // The process tag at the end of an id is the base's (one process writes a file): left out.
  const ref = repeatRef(record.id);
  const out: Bag = { id: record.id.slice(ref.length) === tagOf(base) ? ref : record.id };
  if (timeOfId(record.id) !== record.time) out.time = record.time;
  out.fingerprint = record.fingerprint;
  out.repeatOf = base.ref;
  for (const key in rec) {
    if (OWN_KEYS.has(key)) continue;
    const value = rec[key];
    if (value === undefined) continue;
    const bv = b[key];
    if (MERGED.has(key) && isBag(value) && isBag(bv)) {
      const partial = diffMerged(key, value, bv, dt, view);
      if (partial === undefined) return undefined;
      // New resource figures (a new sample, new disk figures): a new base, so repeats stay small.
      if (key === 'resources') for (const k in partial) if (!isAgeKey(k)) return undefined;
      for (const _ in partial) {
        out[key] = partial;
        break;
      }
    } else if (!same(value, bv)) {
      out[key] = value;
    }
  }
  let unset: string[] | undefined;
  for (const key in b) {
    if (OWN_KEYS.has(key) || rec[key] !== undefined) continue;
    unset ??= [];
    unset.push(key);
  }
  if (unset !== undefined) out[UNSET] = unset;
  return JSON.stringify(out);
}

/** True for a parsed line that is a repeat to be expanded. */
export function isRepeatLine(rec: unknown): boolean {
  return isBag(rec) && typeof rec.repeatOf === 'string';
}

/**
 * Rebuilds, in place, the record a parsed repeat line stands for. Returns false when `base` is
 * not the line it refers to (then the caller counts it as unreadable). Never throws.
 */
export function expandRepeat(rec: Bag, base: RepeatBase | undefined): boolean {
  try {
    if (base === undefined || rec.repeatOf !== base.ref || rec.fingerprint !== base.record.fingerprint) {
      return false;
    }
    const b = base.record as unknown as Bag;
    let id = rec.id;
    if (typeof id !== 'string') return false;
    if (repeatRef(id) === id) {
      id += tagOf(base);
      rec.id = id;
    }
    if (typeof rec.time !== 'string') {
      const time = timeOfId(id);
      if (time === undefined) return false;
      rec.time = time;
    }
    const dt = Date.parse(rec.time as string) - base.timeMs;
    const unset = new Set(Array.isArray(rec[UNSET]) ? (rec[UNSET] as unknown[]) : []);
    delete rec[UNSET];
    delete rec.repeatOf;
    const own = { ...rec };
    for (const key of Object.keys(rec)) delete rec[key];
    for (const key of Object.keys(b)) {
      if (unset.has(key)) continue;
      const bv = b[key];
      const mine = own[key];
      if (key === 'id' || key === 'time') rec[key] = own[key];
      else if (MERGED.has(key) && isBag(bv)) rec[key] = mergeInto(key, bv, isBag(mine) ? mine : {}, dt);
      else rec[key] = mine !== undefined ? mine : bv;
    }
    for (const key of Object.keys(own)) if (!(key in rec)) rec[key] = own[key];
    return true;
  } catch {
    return false;
  }
}

function mergeInto(key: string, base: Bag, partial: Bag, dt: number): Bag {
  const out = expected(base, key, dt);
  const stack = key === 'exception' ? rebuiltStack({ ...out, ...partial }, base, partial) : undefined;
  for (const k of Object.keys(partial)) if (k !== 'stackHead') out[k] = partial[k];
  if (stack !== undefined) out.stacktrace = stack;
  if (key === 'memory' && 'heapUsedRatio' in base && !('heapUsedRatio' in partial)) {
    out.heapUsedRatio = heapRatio(out);
  }
  return out;
}
