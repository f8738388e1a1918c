import { TRAIL_CAPACITY } from './breadcrumb-trail.js';

/** What breadcrumbs are taken and how many a record keeps. */
export interface BreadcrumbOptions {
  /** Breadcrumbs kept per record (the newest before the error), 1 to 64. @default 20 */
  max?: number;
  /** UTF-8 bytes of a record's breadcrumbs as JSON; older ones are left out past it (256 to 65536). @default 4096 */
  maxBytes?: number;
  /** Span starts, ends and events (needs `ErrorInsightSpanProcessor` on the tracer provider). @default true */
  spans?: boolean;
  /** `console.warn` and `console.error` lines. @default true */
  console?: boolean;
  /** Outgoing `fetch` (undici) and `http`/`https` requests, from `diagnostics_channel`. @default true */
  http?: boolean;
}

/** Defaults of {@link BreadcrumbOptions}. */
export const DEFAULT_BREADCRUMB_OPTIONS = {
  max: 20,
  maxBytes: 4096,
  spans: true,
  console: true,
  http: true,
} as const;

/** {@link BreadcrumbOptions} with every default applied. */
export type ResolvedBreadcrumbOptions = {
  readonly [K in keyof typeof DEFAULT_BREADCRUMB_OPTIONS]: K extends 'max' | 'maxBytes' ? number : boolean;
};

const KEYS = Object.keys(DEFAULT_BREADCRUMB_OPTIONS);

function intIn(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `error-insight: breadcrumbs.${name} must be an integer from ${min} to ${max}, got ${String(value)}`,
    );
  }
  return value;
}

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`error-insight: breadcrumbs.${name} must be a boolean`);
  return value;
}

/** Validates the `breadcrumbs` option: `true` means the defaults, `false` or absent means off. */
export function resolveBreadcrumbOptions(
  value: BreadcrumbOptions | boolean | undefined,
  onByDefault: boolean,
): ResolvedBreadcrumbOptions | false {
  if (value === undefined) value = onByDefault;
  if (value === false) return false;
  if (value === true) value = {};
  if (value === null || typeof value !== 'object') {
    throw new TypeError('error-insight: breadcrumbs must be a boolean or an options object');
  }
  const unknown = Object.keys(value).find((k) => !KEYS.includes(k));
  if (unknown !== undefined) {
    throw new TypeError(
      `error-insight: unknown breadcrumbs option ${JSON.stringify(unknown)}; known: ${KEYS.join(', ')}`,
    );
  }
  const d = DEFAULT_BREADCRUMB_OPTIONS;
  return {
    max: intIn('max', value.max, d.max, 1, TRAIL_CAPACITY),
    maxBytes: intIn('maxBytes', value.maxBytes, d.maxBytes, 256, 65_536),
    spans: flag('spans', value.spans, d.spans),
    console: flag('console', value.console, d.console),
    http: flag('http', value.http, d.http),
  };
}
