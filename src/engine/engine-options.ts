import {
  type BreadcrumbOptions,
  type ResolvedBreadcrumbOptions,
  resolveBreadcrumbOptions,
} from '../breadcrumbs/breadcrumb-options.js';
import type { CaptureLimits } from '../capture/capture-limits.js';
import { resolveCaptureLimits } from '../capture/capture-limits.js';
import type { RedactOptions } from '../capture/redactor.js';
import type { ClassifierOptions } from '../classify/classifier-options.js';
import type { EnvConfig } from '../config/env.js';
import { readEnvConfig } from '../config/env.js';
import {
  FINGERPRINT_VERSION,
  type FingerprintOptions,
  type FingerprintVersion,
} from '../grouping/fingerprint.js';
import { type FloodGuardOptions, resolveFloodGuardOptions } from '../grouping/flood-guard.js';
import type { PatternDetectorOptions, PatternWarning } from '../grouping/pattern-detector.js';
import type { ErrorRecord } from '../record.js';
import { type ResourceOptions, resolveResourceOptions } from '../resources/resource-options.js';
import { type ResolvedStallOptions, resolveStallOptions, type StallOptions } from '../stall/stall-options.js';
import type { StoreOptions } from '../store/store-options.js';
import { compileIgnorePatterns, type IgnoreErrorPattern } from './ignore-patterns.js';
import type { BeforeRecordHook } from './record-filter.js';
import { identityAttributes } from './service-identity.js';

/** Options of the capture engine, shared by `ExportLogger` and `registerErrorInstrumentation`. */
export interface EngineOptions {
  /**
   * `service.name` of every record. @default the span's resource `service.name`, else
   * `OTEL_SERVICE_NAME`, else `service.name` in `OTEL_RESOURCE_ATTRIBUTES`, else `'unknown_service:node'`
   */
  serviceName?: string;
  /** `service.version` (the release) of every record. @default the span's resource, else `OTEL_RESOURCE_ATTRIBUTES`, else none */
  serviceVersion?: string;
  /**
   * `deployment.environment.name` of every record (its top-level `environment`).
   * @default the span's resource, else `OTEL_RESOURCE_ATTRIBUTES`, else none
   */
  environment?: string;
  /** Root that stack frames are made relative to, for fingerprints stable across machines. @default `process.cwd()` */
  projectRoot?: string;
  /** Bounds of a record: depth, breadth, string lengths, frames, bytes. @default {@link DEFAULT_CAPTURE_LIMITS} */
  limits?: Partial<CaptureLimits>;
  /** Extra sensitive keys and value patterns; they extend the built-in list. @default built-ins only */
  redact?: RedactOptions;
  /** The local JSONL store, or `false` for none (span export only). @default a store at `.error-insight/errors.jsonl` */
  store?: StoreOptions | false;
  /** Extra classification rules and the suggestion language. @default built-in rules, English */
  classifier?: ClassifierOptions;
  /** A custom fingerprint function (see {@link FingerprintOptions.custom}). @default none */
  fingerprint?: FingerprintOptions['custom'];
  /**
   * Fingerprint algorithm: `'2'` groups in-app frames by their line of source, `'1'` keeps the
   * groups of stores written before version 2 (docs/grouping.md). @default '2'
   */
  fingerprintVersion?: FingerprintVersion;
  /**
   * Read the source lines of in-app frames (through source maps) for the fingerprint and for
   * `exception.sourceContext`. `false` reads no file: version 2 then falls back to function and
   * file with the message template. @default true
   */
  sourceContext?: boolean;
  /** Pattern thresholds, or `false` to turn pattern detection off. @default the detector's defaults */
  patterns?: PatternDetectorOptions | false;
  /**
   * Opt-in store guard for error storms: past `maxPerWindow` occurrences of one fingerprint per
   * window, occurrences are counted (`stats().folded`) instead of stored. @default false (every occurrence is stored)
   */
  floodGuard?: FloodGuardOptions | false;
  /** Called with every new pattern warning, as the record that raised it completes; its errors are caught and reported once. @default none */
  onPattern?: (warning: PatternWarning) => void;
  /** Print each new pattern warning on stderr (once per pattern per window). @default true */
  warnOnStderr?: boolean;
  /** The background resource sampler, or `false`. @default on, sampling every 15 s */
  resources?: ResourceOptions | false;
  /** Distinct fingerprints kept in memory for stats (LRU). @default 10000 */
  maxFingerprints?: number;
  /** Record uncaught exceptions and unhandled rejections (observed, never swallowed). @default false for `new ExportLogger()`, true for the default logger and `registerErrorInstrumentation` */
  captureUncaught?: boolean;
  /**
   * Called with every record once it is complete and handed to the store: right after the
   * caller's turn (or when the caller reads the record first); for tests and custom sinks.
   * Errors are caught. @default none
   */
  onRecord?: (record: ErrorRecord) => void;
  /**
   * Breadcrumbs: the last events of the error's async context (span starts, ends and events,
   * `console.warn`/`console.error` lines, outgoing `fetch`/`http` requests) in each record.
   * `true` for the defaults. @default false for `new ExportLogger()`, true for the default logger and `registerErrorInstrumentation`
   */
  breadcrumbs?: BreadcrumbOptions | boolean;
  /**
   * Event-loop stall detection: a block longer than `thresholdMs` becomes a record of its own
   * (`source: 'stall'`) with the blocking code's stack, from a watchdog thread. `true` for the
   * defaults. @default false for `new ExportLogger()`; on at 2000 ms in `registerErrorInstrumentation` (off when `NODE_ENV=test`)
   */
  stall?: StallOptions | boolean;
  /**
   * Errors never recorded: a string or RegExp is tested against the message (and `Type:
   * message`); `{ message, type, code }` matches when every field it sets does. Checked as the
   * record completes, before any sink. @default []
   */
  ignoreErrors?: IgnoreErrorPattern[];
  /**
   * Called with each complete record before the store, the span, the stats and the metrics see
   * it: return it (changed or another) to keep it, `null` to drop it. A hook that throws keeps
   * the record; the failure is counted (`getErrorStats().filtered`) and reported once. @default none
   */
  beforeRecord?: BeforeRecordHook;
}

/** Defaults of {@link EngineOptions} that do not depend on the environment. */
export const DEFAULT_ENGINE_OPTIONS = {
  maxFingerprints: 10_000,
  warnOnStderr: true,
  captureUncaught: false,
} as const;

/** {@link EngineOptions} with every default applied and checked. */
export interface ResolvedEngineOptions {
  readonly serviceName: string;
  readonly serviceVersion: string | undefined;
  /** `service.instance.id` from `OTEL_RESOURCE_ATTRIBUTES`. */
  readonly serviceInstanceId: string | undefined;
  readonly environment: string | undefined;
  /** The identity fields the options set themselves (a span's resource does not override them). */
  readonly explicitIdentity: { name: boolean; version: boolean; environment: boolean };
  readonly projectRoot: string;
  readonly limits: Readonly<CaptureLimits>;
  readonly redact: RedactOptions;
  readonly store: StoreOptions | false;
  readonly classifier: ClassifierOptions;
  readonly fingerprint: FingerprintOptions['custom'];
  readonly fingerprintVersion: FingerprintVersion;
  readonly sourceContext: boolean;
  readonly patterns: PatternDetectorOptions | false;
  readonly floodGuard: FloodGuardOptions | false;
  readonly onPattern: ((warning: PatternWarning) => void) | undefined;
  readonly warnOnStderr: boolean;
  readonly resources: ResourceOptions | false;
  readonly maxFingerprints: number;
  readonly captureUncaught: boolean;
  readonly onRecord: ((record: ErrorRecord) => void) | undefined;
  readonly breadcrumbs: ResolvedBreadcrumbOptions | false;
  readonly stall: ResolvedStallOptions | false;
  readonly ignoreErrors: readonly IgnoreErrorPattern[];
  readonly beforeRecord: BeforeRecordHook | undefined;
}

function checkedResources(options: ResourceOptions): ResourceOptions {
  resolveResourceOptions(options);
  return options;
}

/** Options validated now (bad values throw at construction) but passed on as given. */
function checked(options: FloodGuardOptions): FloodGuardOptions {
  resolveFloodGuardOptions(options);
  return options;
}

function optionalFunction<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new TypeError(`error-insight: option "${name}" must be a function, got ${typeof value}`);
  }
  return value;
}

function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`error-insight: option "${name}" must be a non-empty string`);
  }
  return value;
}

function checkedIgnoreErrors(value: IgnoreErrorPattern[] | undefined): readonly IgnoreErrorPattern[] {
  compileIgnorePatterns(value);
  return value ?? [];
}

/** Validates options and applies defaults; bad values throw here, never later. */
export function resolveEngineOptions(
  options: EngineOptions = {},
  env: EnvConfig = readEnvConfig(),
): ResolvedEngineOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('error-insight: options must be an object');
  }
  const maxFingerprints = options.maxFingerprints ?? DEFAULT_ENGINE_OPTIONS.maxFingerprints;
  if (!Number.isInteger(maxFingerprints) || maxFingerprints < 1) {
    throw new RangeError(`error-insight: maxFingerprints must be a positive integer, got ${maxFingerprints}`);
  }
  const serviceName = optionalString('serviceName', options.serviceName);
  const serviceVersion = optionalString('serviceVersion', options.serviceVersion);
  const environment = optionalString('environment', options.environment);
  const fromEnv = identityAttributes(env.resourceAttributes);
  return {
    serviceName: serviceName ?? env.serviceName ?? fromEnv.name ?? 'unknown_service:node',
    serviceVersion: serviceVersion ?? fromEnv.version,
    serviceInstanceId: fromEnv.instanceId,
    environment: environment ?? fromEnv.environment,
    explicitIdentity: {
      name: serviceName !== undefined,
      version: serviceVersion !== undefined,
      environment: environment !== undefined,
    },
    projectRoot: optionalString('projectRoot', options.projectRoot) ?? process.cwd(),
    limits: resolveCaptureLimits(options.limits),
    redact: options.redact ?? {},
    store: options.store ?? {},
    classifier: options.classifier ?? {},
    fingerprint: optionalFunction('fingerprint', options.fingerprint),
    fingerprintVersion: checkedFingerprintVersion(options.fingerprintVersion),
    sourceContext: optionalBoolean('sourceContext', options.sourceContext) ?? true,
    patterns: options.patterns ?? {},
    floodGuard:
      options.floodGuard === undefined || options.floodGuard === false ? false : checked(options.floodGuard),
    onPattern: optionalFunction('onPattern', options.onPattern),
    warnOnStderr: options.warnOnStderr ?? DEFAULT_ENGINE_OPTIONS.warnOnStderr,
    // Checked here, before the store creates its directory, so a bad option leaves nothing behind.
    resources: options.resources === false ? false : checkedResources(options.resources ?? {}),
    maxFingerprints,
    captureUncaught: options.captureUncaught ?? DEFAULT_ENGINE_OPTIONS.captureUncaught,
    onRecord: optionalFunction('onRecord', options.onRecord),
    breadcrumbs: resolveBreadcrumbOptions(options.breadcrumbs, false),
    stall: resolveStallOptions(options.stall, false),
    ignoreErrors: checkedIgnoreErrors(options.ignoreErrors),
    beforeRecord: optionalFunction('beforeRecord', options.beforeRecord),
  };
}

function checkedFingerprintVersion(value: unknown): FingerprintVersion {
  if (value === undefined) return FINGERPRINT_VERSION;
  if (value === '1' || value === '2') return value;
  throw new TypeError(`error-insight: fingerprintVersion must be '1' or '2', got ${JSON.stringify(value)}`);
}

function optionalBoolean(name: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new TypeError(`error-insight: ${name} must be a boolean, got ${typeof value}`);
}
