import type { RequestInfo } from '../record.js';
import type { Redactor } from './redactor.js';
import { truncateText } from './truncate-text.js';

/** Longest route or path kept: a path is not a place for data, and one past this is an attack or a bug. */
const MAX_PATH = 512;
/** Longest method or peer kept. */
const MAX_SHORT = 128;

function text(value: unknown, max: number, redactor?: Redactor): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const kept = truncateText(value, max);
  return redactor === undefined ? kept : redactor.redactString(kept);
}

/**
 * The request as a record keeps it, from a span's attributes or a web framework alike: only the
 * five known fields, strings bounded, the query string dropped (it carries tokens more often
 * than not), the route, path and peer redacted as a message would be, and a status only when it
 * is one (three digits).
 */
export function boundRequestContext(request: RequestInfo, redactor: Redactor): RequestInfo {
  const out: RequestInfo = {};
  const method = text(request.method, MAX_SHORT);
  if (method !== undefined) out.method = method;
  const route = text(request.route, MAX_PATH, redactor);
  if (route !== undefined) out.route = route;
  const path = text(
    typeof request.path === 'string' ? withoutQuery(request.path) : undefined,
    MAX_PATH,
    redactor,
  );
  if (path !== undefined) out.path = path;
  const status = request.status;
  if (typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 999)
    out.status = status;
  const peer = text(request.peer, MAX_SHORT, redactor);
  if (peer !== undefined) out.peer = peer;
  return out;
}

/** `url` up to its query string or fragment. */
export function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}
