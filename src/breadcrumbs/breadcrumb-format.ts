import { formatWithOptions } from 'node:util';
import { toBoundedJson } from '../capture/bounded-json.js';
import type { CaptureLimits } from '../capture/capture-limits.js';
import type { Redactor } from '../capture/redactor.js';
import type { Breadcrumb, JsonObject } from '../record.js';
import type { ResolvedBreadcrumbOptions } from './breadcrumb-options.js';
import type { BreadcrumbTrail, RawBreadcrumb } from './breadcrumb-trail.js';
import { redactUrl } from './redact-url.js';

/** Characters kept of one breadcrumb's message. */
const MAX_MESSAGE_CHARS = 500;
/** Bounds of event attributes and console objects inside a breadcrumb. */
const DATA_LIMITS: Readonly<CaptureLimits> = Object.freeze({
  maxDepth: 3,
  maxBreadth: 20,
  maxStringLength: 256,
  maxMessageLength: 256,
  maxStackFrames: 0,
  maxCauseDepth: 0,
  maxAggregateErrors: 0,
  maxRecordBytes: 4096,
});
const SPAN_STATUS_ERROR = 2;

function cut(text: string): string {
  return text.length <= MAX_MESSAGE_CHARS ? text : `${text.slice(0, MAX_MESSAGE_CHARS)}…`;
}

function errorText(err: unknown): string {
  if (err !== null && typeof err === 'object') {
    const e = err as { name?: unknown; message?: unknown };
    if (typeof e.message === 'string')
      return typeof e.name === 'string' ? `${e.name}: ${e.message}` : e.message;
  }
  return String(err);
}

/** A console line: printf-style when every argument is a primitive, else objects as bounded, redacted JSON. */
function consoleText(args: readonly unknown[], redactor: Redactor): string {
  if (args.every((a) => a === null || (typeof a !== 'object' && typeof a !== 'function'))) {
    return formatWithOptions({ breakLength: Number.POSITIVE_INFINITY }, ...args);
  }
  return args
    .map((a) => {
      if (typeof a === 'string') return a;
      if (a instanceof Error) return errorText(a);
      if (a === null || typeof a !== 'object') return String(a);
      return JSON.stringify(toBoundedJson(a, DATA_LIMITS, redactor));
    })
    .join(' ');
}

function httpLevel(status: number, failed: boolean): Breadcrumb['level'] {
  if (failed || status >= 500) return 'error';
  return status >= 400 ? 'warning' : undefined;
}

function build(raw: RawBreadcrumb, redactor: Redactor): Breadcrumb {
  const time = new Date(raw.time).toISOString();
  switch (raw.kind) {
    case 'span.start':
      return { time, category: 'span.start', message: cut(redactor.redactString(raw.name)) };
    case 'span.end': {
      const data: JsonObject = { durationMs: raw.durationMs };
      const crumb: Breadcrumb = {
        time,
        category: 'span.end',
        message: cut(redactor.redactString(raw.name)),
        data,
      };
      if (raw.status === SPAN_STATUS_ERROR) {
        data.status = 'error';
        crumb.level = 'error';
      }
      return crumb;
    }
    case 'span.event': {
      const data: JsonObject = {};
      if (typeof raw.extra === 'string') data.span = cut(redactor.redactString(raw.extra));
      if (raw.data !== undefined) data.attributes = toBoundedJson(raw.data, DATA_LIMITS, redactor);
      return { time, category: 'span.event', message: cut(redactor.redactString(raw.name)), data };
    }
    case 'console':
      return {
        time,
        category: 'console',
        level: raw.name === 'warn' ? 'warning' : 'error',
        message: cut(redactor.redactString(consoleText(raw.data as unknown[], redactor))),
      };
    case 'http': {
      const url = redactUrl(String(raw.data), redactor);
      const method = cut(raw.name);
      const data: JsonObject = { method, url, durationMs: raw.durationMs };
      if (raw.status > 0) data.statusCode = raw.status;
      const failed = raw.extra !== undefined;
      if (failed) data.error = cut(redactor.redactString(errorText(raw.extra)));
      const crumb: Breadcrumb = { time, category: 'http', message: cut(`${method} ${url}`), data };
      const level = httpLevel(raw.status, failed);
      if (level !== undefined) crumb.level = level;
      return crumb;
    }
  }
}

/** The formatted crumb, made once per redactor (the errors of one context share their crumbs). */
function formatted(raw: RawBreadcrumb, redactor: Redactor): NonNullable<RawBreadcrumb['formatted']> {
  if (raw.formatted?.by === redactor) return raw.formatted;
  let crumb: Breadcrumb | undefined;
  let bytes = 0;
  try {
    crumb = Object.freeze(build(raw, redactor));
    bytes = Buffer.byteLength(JSON.stringify(crumb), 'utf8');
  } catch {
    // A value whose formatting fails is left out; the others are kept.
    crumb = undefined;
  }
  raw.formatted = { by: redactor, crumb, bytes };
  return raw.formatted;
}

/** The last list made from each trail: errors in a row with no event between them share it. */
const lastLists = new WeakMap<
  BreadcrumbTrail,
  { upTo: number; options: object; redactor: object; list: Breadcrumb[] | undefined }
>();

/** Other loggers may take kinds this one does not want. */
function wanted(raw: RawBreadcrumb, options: ResolvedBreadcrumbOptions): boolean {
  if (raw.kind === 'console') return options.console;
  if (raw.kind === 'http') return options.http;
  return options.spans;
}

/**
 * The newest events of `trail` taken before the capture (`upTo`), oldest first: at most
 * `options.max` of them and `options.maxBytes` of JSON. Undefined when there are none.
 */
export function formatBreadcrumbs(
  trail: BreadcrumbTrail,
  upTo: number,
  options: ResolvedBreadcrumbOptions,
  redactor: Redactor,
): Breadcrumb[] | undefined {
  const last = lastLists.get(trail);
  if (last !== undefined && last.upTo === upTo && last.options === options && last.redactor === redactor) {
    return last.list;
  }
  const out: Breadcrumb[] = [];
  let bytes = 2;
  for (const raw of trail.newestFirst(upTo)) {
    if (out.length >= options.max) break;
    if (!wanted(raw, options)) continue;
    const f = formatted(raw, redactor);
    if (f.crumb === undefined) continue;
    bytes += f.bytes + 1;
    if (bytes > options.maxBytes) break;
    out.push(f.crumb);
  }
  // Shared by the records that get it: frozen, so that changing one record cannot change another.
  const list = out.length === 0 ? undefined : (Object.freeze(out.reverse()) as Breadcrumb[]);
  lastLists.set(trail, { upTo, options, redactor, list });
  return list;
}
