import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { context, createContextKey } from '@opentelemetry/api';
import type { BreadcrumbTrail } from './breadcrumb-trail.js';
import { currentTrail, recordingBreadcrumbs } from './breadcrumb-trails.js';

/**
 * Outgoing requests as breadcrumbs, from the `diagnostics_channel` events that Node's `fetch`
 * (undici) and `http`/`https` clients publish. The trail, method, URL and start time are taken
 * when the request is created, in the caller's context; one breadcrumb is added when the
 * response headers come or the request fails. Requests made with tracing suppressed (exporters
 * sending telemetry) are left out, as OpenTelemetry's instrumentations do.
 */

/** The key `@opentelemetry/core`'s `suppressTracing` sets (context keys are `Symbol.for` their name). */
const SUPPRESS_TRACING_KEY = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

interface Started {
  trail: BreadcrumbTrail;
  time: number;
  method: string;
  url: string;
  done: boolean;
}

const started = new WeakMap<object, Started>();

interface UndiciRequest {
  method?: string;
  origin?: string;
  path?: string;
}

interface HttpClientRequest {
  method?: string;
  protocol?: string;
  host?: string;
  path?: string;
  getHeader?: (name: string) => unknown;
}

function begin(request: object, method: string | undefined, url: string): void {
  if (!recordingBreadcrumbs() || context.active().getValue(SUPPRESS_TRACING_KEY) === true) return;
  started.set(request, {
    trail: currentTrail(),
    time: Date.now(),
    method: method || 'GET',
    url,
    done: false,
  });
}

function finish(request: unknown, status: number, error: unknown): void {
  if (request === null || typeof request !== 'object') return;
  const s = started.get(request);
  if (s === undefined || s.done) return;
  s.done = true;
  s.trail.push({
    time: s.time,
    kind: 'http',
    name: s.method,
    data: s.url,
    durationMs: Date.now() - s.time,
    status,
    extra: error,
  });
}

const onUndiciCreate = (message: unknown): void => {
  try {
    const r = (message as { request?: UndiciRequest }).request;
    if (r !== undefined && r !== null) begin(r, r.method, `${r.origin ?? ''}${r.path ?? ''}`);
  } catch {
    // A request shape from another undici version: not recorded.
  }
};

/** `undici:request:headers` and `http.client.response.finish` both carry `{ request, response }`. */
const onResponse = (message: unknown): void => {
  try {
    const m = message as { request?: unknown; response?: { statusCode?: number } };
    finish(m.request, m.response?.statusCode ?? 0, undefined);
  } catch {}
};

/** `undici:request:error` and `http.client.request.error` both carry `{ request, error }`. */
const onRequestError = (message: unknown): void => {
  try {
    const m = message as { request?: unknown; error?: unknown };
    finish(m.request, 0, m.error);
  } catch {}
};

const onHttpStart = (message: unknown): void => {
  try {
    const r = (message as { request?: HttpClientRequest }).request;
    if (r === undefined || r === null) return;
    const host = r.getHeader?.('host');
    begin(
      r,
      r.method,
      `${r.protocol ?? 'http:'}//${typeof host === 'string' ? host : (r.host ?? '')}${r.path ?? ''}`,
    );
  } catch {}
};

const CHANNELS: ReadonlyArray<[string, (message: unknown) => void]> = [
  ['undici:request:create', onUndiciCreate],
  ['undici:request:headers', onResponse],
  ['undici:request:error', onRequestError],
  ['http.client.request.start', onHttpStart],
  ['http.client.response.finish', onResponse],
  // Not published by older Node releases: there a failed `http` request leaves no breadcrumb.
  ['http.client.request.error', onRequestError],
];

let users = 0;

/** Subscribes to the request channels while some logger needs them; the returned function releases (once). */
export function installHttpBreadcrumbs(): () => void {
  if (users++ === 0) for (const [name, fn] of CHANNELS) subscribe(name, fn);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--users === 0) for (const [name, fn] of CHANNELS) unsubscribe(name, fn);
  };
}
