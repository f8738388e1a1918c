import type { Attributes } from '@opentelemetry/api';
import type { Redactor } from '../capture/redactor.js';
import { boundRequestContext, withoutQuery } from '../capture/request-context.js';
import type { RequestInfo } from '../record.js';
import * as A from '../semconv.js';
import { serverSpanOf } from './server-spans.js';

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
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    try {
      return new URL(value).pathname;
    } catch {
      // Not a URL after all: cut like a path.
    }
  }
  return withoutQuery(value);
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
  const rawPath =
    str(attrs, A.ATTR_URL_PATH) ??
    str(attrs, A.ATTR_HTTP_TARGET_LEGACY) ??
    str(attrs, A.ATTR_URL_FULL) ??
    str(attrs, A.ATTR_HTTP_URL_LEGACY);
  // Picked here, bounded and redacted by the same rules as a web framework's request.
  return boundRequestContext(
    {
      method: str(attrs, A.ATTR_HTTP_REQUEST_METHOD) ?? str(attrs, A.ATTR_HTTP_METHOD_LEGACY),
      route: str(attrs, A.ATTR_HTTP_ROUTE),
      path: rawPath === undefined ? undefined : pathOnly(rawPath),
      status: num(attrs, A.ATTR_HTTP_RESPONSE_STATUS_CODE) ?? num(attrs, A.ATTR_HTTP_STATUS_CODE_LEGACY),
      peer: peerOf(attrs, kind),
    },
    redactor,
  );
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
