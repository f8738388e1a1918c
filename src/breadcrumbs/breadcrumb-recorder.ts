import type { ResolvedBreadcrumbOptions } from './breadcrumb-options.js';
import { addBreadcrumbUser } from './breadcrumb-trails.js';
import { installConsoleBreadcrumbs } from './console-breadcrumbs.js';
import { installHttpBreadcrumbs } from './http-breadcrumbs.js';

/**
 * Starts taking breadcrumbs for one logger: the trails, and the console and request hooks it
 * asks for (shared with other loggers, counted). Span breadcrumbs come from the span processor
 * while any logger records. The returned function stops this logger's share; idempotent.
 */
export function startBreadcrumbs(options: ResolvedBreadcrumbOptions): () => void {
  const releases = [addBreadcrumbUser()];
  if (options.console) releases.push(installConsoleBreadcrumbs());
  if (options.http) releases.push(installHttpBreadcrumbs());
  return () => {
    for (const release of releases.splice(0)) release();
  };
}
