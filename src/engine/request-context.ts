import type { Attributes } from '@opentelemetry/api';
import type { Redactor } from '../capture/redactor.js';
import { truncateText } from '../capture/truncate-text.js';
import type { RequestInfo } from '../record.js';
import * as A from '../semconv.js';
import { serverSpanOf } from './server-spans.js';

/** Longest path or route kept; longer ones are cut (a path is not a place for data). */
const MAX_PATH = 512;
const MAX_SHORT = 128;
/** `SpanKind.SERVER` and `SpanKind.CLIENT` of the OpenTelemetry API. */
const SERVER = 1;
const CLIENT = 2;

interface SpanLike {
  attributes?: Attributes;
  kind?: number;
  spanContext?: () => { traceId: string };
}

function str(attrs: Attributes, key: string): string | undefined {
  const v = attrs[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function num(attrs: Attributes, key: string): number | undefined {
  const v = attrs[key];
  const n = typeof v === 'string' && /^\d{3}$/.test(v) ? Number(v) : v;
  // HTTP status codes are three digits; anything else is not one (the schema says so too).
  return typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 999 ? n : undefined;
}

/** The path of a target or URL, without query or fragment (where tokens travel). */
function pathOnly(value: string): string {
  let path = value;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    try {
      path = new URL(path).pathname;
    } catch {
      // Not a URL after all: cut it by hand below.
    }
  }
  const cut = path.search(/[?#]/);
  return cut < 0 ? path : path.slice(0, cut);
}

function hasHttp(attrs: Attributes): boolean {
  return (
    attrs[A.ATTR_HTTP_REQUEST_METHOD] !== undefined ||
    attrs[A.ATTR_HTTP_METHOD_LEGACY] !== undefined ||
    attrs[A.ATTR_HTTP_ROUTE] !== undefined
  );
}

function peerOf(attrs: Attributes, kind: number | undefined): string | undefined {
  if (kind === CLIENT) {
    const host = str(attrs, A.ATTR_SERVER_ADDRESS) ?? str(attrs, A.ATTR_NET_PEER_NAME_LEGACY);
    const port = attrs[A.ATTR_SERVER_PORT];
    if (host !== undefined) return typeof port === 'number' ? `${host}:${port}` : host;
  }
  return (
    str(attrs, A.ATTR_CLIENT_ADDRESS) ??
    str(attrs, A.ATTR_NETWORK_PEER_ADDRESS) ??
    str(attrs, A.ATTR_NET_PEER_IP_LEGACY)
  );
}

/**
 * The request fields of one span's attributes, or undefined when it is not an HTTP span.
 * `kind` is the API's `SpanKind` (1 server, 2 client).
 */
export function requestFromAttributes(
  attrs: Attributes,
  kind: number | undefined,
  redactor: Redactor,
): RequestInfo | undefined {
  if (!hasHttp(attrs)) return undefined;
  const out: RequestInfo = {};
  const method = str(attrs, A.ATTR_HTTP_REQUEST_METHOD) ?? str(attrs, A.ATTR_HTTP_METHOD_LEGACY);
  if (method !== undefined) out.method = truncateText(method, MAX_SHORT);
  const route = str(attrs, A.ATTR_HTTP_ROUTE);
  if (route !== undefined) out.route = truncateText(redactor.redactString(route), MAX_PATH);
  const rawPath =
    str(attrs, A.ATTR_URL_PATH) ??
    str(attrs, A.ATTR_HTTP_TARGET_LEGACY) ??
    str(attrs, A.ATTR_URL_FULL) ??
    str(attrs, A.ATTR_HTTP_URL_LEGACY);
  if (rawPath !== undefined) out.path = truncateText(redactor.redactString(pathOnly(rawPath)), MAX_PATH);
  const status = num(attrs, A.ATTR_HTTP_RESPONSE_STATUS_CODE) ?? num(attrs, A.ATTR_HTTP_STATUS_CODE_LEGACY);
  if (status !== undefined) out.status = status;
  const peer = peerOf(attrs, kind);
  if (peer !== undefined) out.peer = truncateText(redactor.redactString(peer), MAX_SHORT);
  return out;
}

/**
 * The HTTP request an error on `span` happened in: the span's own HTTP attributes (a server or
 * client span), else those of its trace's server span in flight. Read when the record
 * completes, so a status the span gets later is not known.
 */
export function requestInfoOf(span: unknown, redactor: Redactor): RequestInfo | undefined {
  if (span === undefined || span === null) return undefined;
  const s = span as SpanLike;
  const own = s.attributes;
  if (own !== undefined && hasHttp(own)) return requestFromAttributes(own, s.kind, redactor);
  const traceId = typeof s.spanContext === 'function' ? s.spanContext().traceId : undefined;
  const server = traceId === undefined ? undefined : (serverSpanOf(traceId) as SpanLike | undefined);
  if (server?.attributes === undefined) return undefined;
  return requestFromAttributes(server.attributes, server.kind ?? SERVER, redactor);
}
