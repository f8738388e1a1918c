/**
 * The release, environment and route of a record, as the reports group them. Read with type
 * checks: a foreign or hand-edited line may hold anything in these optional fields.
 */
import type { ErrorRecord } from './record.js';

/** Key of records without a route (not an HTTP request, or a span that did not tell). */
export const NO_ROUTE = '(none)';

function text(value: unknown, max = 200): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, max) : undefined;
}

/** `service.version`, the release the record came from. */
export function releaseOf(record: ErrorRecord): string | undefined {
  return text((record.service as { version?: unknown } | undefined)?.version);
}

/** `deployment.environment.name`. */
export function environmentOf(record: ErrorRecord): string | undefined {
  return text(record.environment);
}

/**
 * A path with its variable segments masked, for a route when the span had no `http.route`:
 * numbers, long hex strings and UUIDs become `:id`, so `/videos/42` and `/videos/43` are one route.
 */
export function routeOfPath(path: string): string {
  return path
    .split('/')
    .map((seg) =>
      /^\d+$/.test(seg) ||
      /^[0-9a-f]{12,}$/i.test(seg) ||
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(seg)
        ? ':id'
        : seg,
    )
    .join('/');
}

/** `GET /videos/:id`: the method and `http.route` (else the masked path), or {@link NO_ROUTE}. */
export function routeOf(record: ErrorRecord): string {
  const r = record.request as { method?: unknown; route?: unknown; path?: unknown } | undefined;
  if (r === undefined || r === null || typeof r !== 'object') return NO_ROUTE;
  const route =
    text(r.route, 300) ?? (typeof r.path === 'string' ? text(routeOfPath(r.path), 300) : undefined);
  if (route === undefined) return NO_ROUTE;
  const method = text(r.method, 16);
  return method === undefined ? route : `${method} ${route}`;
}
