import { withoutQuery } from '../capture/request-context.js';
import type { RequestInfo } from '../record.js';
import {
  type HttpErrorHandlerOptions,
  resolveHttpErrorHandlerOptions,
} from './http-error-handler-options.js';
import { errorHttpStatus } from './http-error-status.js';
import { recordHttpError } from './record-http-error.js';

/** The parts of an Express request the handler reads (structural: no dependency on express). */
export interface ExpressRequestLike {
  method?: string;
  originalUrl?: string;
  url?: string;
  baseUrl?: string;
  route?: { path?: unknown };
  socket?: { remoteAddress?: string | undefined };
}

/** The parts of an Express response the handler reads. */
export interface ExpressResponseLike {
  statusCode?: number;
}

/** An Express error-handling middleware (four parameters, as Express tells them apart). */
export type ExpressErrorHandler = (
  error: unknown,
  req: ExpressRequestLike,
  res: ExpressResponseLike,
  next: (error?: unknown) => void,
) => void;

/** A template whose segments map one to one onto the path's (no wildcard, optional part or group). */
const PLAIN_TEMPLATE = /^[^*?(){}]*$/;

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/**
 * The route template with the router's mount path in front. At an app-level error handler
 * Express has already reset `req.baseUrl`, so the mount path is taken from the requested path:
 * the segments in front of those the template matched.
 */
export function expressRoute(req: ExpressRequestLike, path: string): string | undefined {
  const template = req.route?.path;
  if (typeof template !== 'string') return undefined;
  const base = req.baseUrl ?? '';
  if (base !== '' || !PLAIN_TEMPLATE.test(template)) return `${base}${template}`;
  const own = segments(template).length;
  const requested = segments(path);
  if (requested.length <= own) return template;
  const mount = `/${requested.slice(0, requested.length - own).join('/')}`;
  return template === '/' ? mount : `${mount}${template}`;
}

function requestContext(req: ExpressRequestLike, status: number): RequestInfo {
  const path = withoutQuery(req.originalUrl ?? req.url ?? '');
  const out: RequestInfo = { status };
  if (typeof req.method === 'string') out.method = req.method;
  const route = expressRoute(req, path);
  if (route !== undefined) out.route = route;
  if (path !== '') out.path = path;
  const peer = req.socket?.remoteAddress;
  if (typeof peer === 'string') out.peer = peer;
  return out;
}

/**
 * An Express error-handling middleware that records each error (5xx by default) with its
 * request — method, route template, path without the query, status, peer — and passes the
 * error on unchanged with `next(error)`, so the app's own error handlers, or Express's
 * default one, still answer as before. Mount it after the routes and before your own error
 * handlers: `app.use(errorInsightExpress())`.
 */
export function errorInsightExpress(options: HttpErrorHandlerOptions = {}): ExpressErrorHandler {
  const resolved = resolveHttpErrorHandlerOptions(options, 'errorInsightExpress');
  return function errorInsightExpressHandler(error, req, res, next) {
    let status = 500;
    try {
      status = errorHttpStatus(error, res.statusCode, 'status');
    } catch {
      // A hostile error object (a throwing getter): the default handler would answer 500 too.
    }
    recordHttpError(resolved, 'errorInsightExpress', error, status, (s) => requestContext(req, s));
    next(error);
  };
}
