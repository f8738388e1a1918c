import type { RequestInfo } from '../record.js';
import type { Redactor } from './redactor.js';
import { truncateText } from './truncate-text.js';

/** Longest method, route, path or peer kept: a URL past this is an attack or a bug, not a route. */
const MAX_REQUEST_TEXT = 2048;

function text(value: unknown, redactor?: Redactor): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const kept = truncateText(value, MAX_REQUEST_TEXT);
  return redactor === undefined ? kept : redactor.redactString(kept);
}

/**
 * The request as a record keeps it: only the five known fields, strings bounded, the query
 * string dropped (it carries tokens more often than not) and the path and route redacted, as
 * a message would be.
 */
export function boundRequestContext(request: RequestInfo, redactor: Redactor): RequestInfo {
  const out: RequestInfo = {};
  const method = text(request.method);
  if (method !== undefined) out.method = method;
  const route = text(request.route, redactor);
  if (route !== undefined) out.route = route;
  const path = text(typeof request.path === 'string' ? withoutQuery(request.path) : undefined, redactor);
  if (path !== undefined) out.path = path;
  const status = request.status;
  if (typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599)
    out.status = status;
  const peer = text(request.peer);
  if (peer !== undefined) out.peer = peer;
  return out;
}

/** `url` up to its query string or fragment. */
export function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}
