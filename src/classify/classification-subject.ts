import { parseMediaFailure } from '../media/media-failure.js';
import type { ClassificationSubject } from './classification-rule.js';

/** Rules only look at the start of a message: enough for every pattern, cheap on a 50 MB one. */
const MAX_MESSAGE_CHARS = 4096;
const MAX_CAUSE_DEPTH = 4;
/**
 * OpenTelemetry's stock `recordException` writes `err.code` into `exception.type`, so a value
 * rebuilt from an event can carry its code as its name.
 */
const CODE_LIKE_NAME = /^(?:E[A-Z0-9]{2,}|ERR_[A-Z0-9_]+|UND_ERR_[A-Z0-9_]+|ABORT_ERR)$/;
const MEDIA_TAG = /\(media failure: ([a-z-]+)\)/;
const MENTIONS_MEDIA_TOOL = /ff(?:mpeg|probe)/;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Bag = Record<string, unknown>;

/**
 * Reads what the rules need from any thrown value. Never throws: a throwing getter or a revoked
 * proxy leaves the fields read so far.
 */
export function toClassificationSubject(value: unknown): ClassificationSubject {
  const s: Mutable<ClassificationSubject> = {
    name: '',
    className: '',
    message: '',
    code: undefined,
    status: undefined,
    syscall: undefined,
    mediaFailure: undefined,
    exitCode: undefined,
    signal: undefined,
    valueType: value === null ? 'null' : typeof value,
    errorLike: false,
  };
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    s.message = primitiveText(value);
    return s;
  }
  try {
    readObject(value as Bag, s);
  } catch {
    // Keep the partial subject: classification must not fail because the value is hostile.
  }
  return s;
}

function readObject(o: Bag, s: Mutable<ClassificationSubject>): void {
  const name = o.name;
  if (typeof name === 'string') s.name = name;
  else if (typeof o.type === 'string') s.name = o.type;
  const message = o.message;
  if (typeof message === 'string') {
    s.message = message.length > MAX_MESSAGE_CHARS ? message.slice(0, MAX_MESSAGE_CHARS) : message;
  }
  s.errorLike = typeof message === 'string' || o instanceof Error;
  const code = o.code;
  if (typeof code === 'string' && code !== '') s.code = code;
  if (typeof o.syscall === 'string') s.syscall = o.syscall;
  s.status = statusOf(o);
  if (typeof o.exitCode === 'number') s.exitCode = o.exitCode;
  // child_process.exec/execFile errors put the exit code in `code` and the command in `cmd`.
  else if (typeof code === 'number' && typeof o.cmd === 'string') s.exitCode = code;
  if (typeof o.signal === 'string') s.signal = o.signal;
  if (s.code === undefined || s.status === undefined) readCauses(o, s);
  if (s.code === undefined && CODE_LIKE_NAME.test(s.name)) s.code = s.name;
  s.mediaFailure = mediaFailureOf(o, s);
  // Last: a class with a hostile static `name` must not cost the fields above.
  const ctor = o.constructor;
  if (typeof ctor === 'function' && ctor !== Object && typeof ctor.name === 'string') s.className = ctor.name;
}

/** Fills a missing code/status from the nearest cause that has one (`fetch failed` → ECONNREFUSED). */
function readCauses(o: Bag, s: Mutable<ClassificationSubject>): void {
  let next: unknown = o.cause;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && next !== null && typeof next === 'object'; depth++) {
    if (take(next as Bag, s)) return;
    next = (next as Bag).cause;
  }
  // AggregateError members, and `causes` of a record's ExceptionInfo.
  for (const key of ['errors', 'causes'] as const) {
    const list = o[key];
    if (Array.isArray(list) && list.length > 0 && list[0] !== null && typeof list[0] === 'object') {
      if (take(list[0] as Bag, s)) return;
    }
  }
}

function take(c: Bag, s: Mutable<ClassificationSubject>): boolean {
  if (s.code === undefined && typeof c.code === 'string' && c.code !== '') {
    s.code = c.code;
    if (s.syscall === undefined && typeof c.syscall === 'string') s.syscall = c.syscall;
  }
  if (s.status === undefined) s.status = statusOf(c);
  return s.code !== undefined && s.status !== undefined;
}

function statusOf(o: Bag): number | undefined {
  const direct = httpStatus(o.status) ?? httpStatus(o.statusCode);
  if (direct !== undefined) return direct;
  const response = o.response;
  if (response === null || typeof response !== 'object') return undefined;
  return httpStatus((response as Bag).status) ?? httpStatus((response as Bag).statusCode);
}

function httpStatus(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= 599 ? v : undefined;
}

function mediaFailureOf(o: Bag, s: ClassificationSubject): string | undefined {
  const failure = o.mediaFailure;
  if (failure !== null && typeof failure === 'object') {
    const kind = (failure as Bag).kind;
    if (typeof kind === 'string') return kind;
  }
  // A MediaCommandError's message names the kind, which survives a trip through an OTel event.
  if (s.message.includes('(media failure: ')) return MEDIA_TAG.exec(s.message)?.[1];
  // Other wrappers (fluent-ffmpeg and the like) put ffmpeg's stderr in the message.
  if (s.message.includes('ff') && MENTIONS_MEDIA_TOOL.test(s.message))
    return parseMediaFailure(s.message)?.kind;
  return undefined;
}

function primitiveText(value: unknown): string {
  if (typeof value === 'string')
    return value.length > MAX_MESSAGE_CHARS ? value.slice(0, MAX_MESSAGE_CHARS) : value;
  if (typeof value === 'symbol') return value.toString();
  return String(value);
}
