import { withoutQuery } from '../capture/request-context.js';
import type { RequestInfo } from '../record.js';
import {
  type HttpErrorHandlerOptions,
  resolveHttpErrorHandlerOptions,
} from './http-error-handler-options.js';
import { errorHttpStatus } from './http-error-status.js';
import { recordHttpError } from './record-http-error.js';

/** The parts of a Fastify request the plugin reads (structural: no dependency on fastify). */
export interface FastifyRequestLike {
  method?: string;
  url?: string;
  routeOptions?: { url?: string | undefined };
  socket?: { remoteAddress?: string | undefined };
}

/** The parts of a Fastify reply the plugin reads. */
export interface FastifyReplyLike {
  statusCode?: number;
}

/** The part of a Fastify instance the plugin uses. */
export interface FastifyInstanceLike {
  addHook(
    name: 'onError',
    hook: (request: FastifyRequestLike, reply: FastifyReplyLike, error: unknown, done: () => void) => void,
  ): unknown;
}

/** A Fastify plugin: `app.register(errorInsightFastify, options)`. */
export type ErrorInsightFastifyPlugin = (
  instance: FastifyInstanceLike,
  options: HttpErrorHandlerOptions,
  done: (err?: Error) => void,
) => void;

function requestContext(request: FastifyRequestLike, status: number): RequestInfo {
  const out: RequestInfo = { status };
  if (typeof request.method === 'string') out.method = request.method;
  const route = request.routeOptions?.url;
  if (typeof route === 'string' && route !== '') out.route = route;
  const path = withoutQuery(request.url ?? '');
  if (path !== '') out.path = path;
  const peer = request.socket?.remoteAddress;
  if (typeof peer === 'string') out.peer = peer;
  return out;
}

/**
 * A Fastify plugin that records each error (5xx by default) with its request — method, route
 * template, path without the query, status, peer — from an `onError` hook, which observes the
 * error and cannot change the reply: the app's error handler (its own `setErrorHandler` or
 * Fastify's default) answers as before. Registered without encapsulation, so it covers every
 * route of the instance: `await app.register(errorInsightFastify)`.
 */
export const errorInsightFastify: ErrorInsightFastifyPlugin = (instance, options, done) => {
  let resolved: ReturnType<typeof resolveHttpErrorHandlerOptions>;
  try {
    resolved = resolveHttpErrorHandlerOptions(options ?? {}, 'errorInsightFastify');
  } catch (err) {
    // Fastify reports a plugin's error from `register` (or `ready`), the call that made it.
    done(err as Error);
    return;
  }
  instance.addHook('onError', (request, reply, error, hookDone) => {
    let status = 500;
    try {
      status = errorHttpStatus(error, reply.statusCode, 'statusCode');
    } catch {
      // A hostile error object (a throwing getter): the default handler would answer 500 too.
    }
    recordHttpError(resolved, 'errorInsightFastify', error, status, (s) => requestContext(request, s));
    hookDone();
  });
  done();
};

// What fastify-plugin sets: the hook applies to the instance that registers the plugin and its
// children, not to a private child context that no route lives in.
Object.assign(errorInsightFastify, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'error-insight',
  [Symbol.for('plugin-meta')]: { name: 'error-insight', fastify: '4.x || 5.x' },
});
