import type { Attributes } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import type { ErrorRecord } from '../record.js';
import {
  ATTR_DEPLOYMENT_ENVIRONMENT_LEGACY,
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_SERVICE_INSTANCE_ID,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
} from '../semconv.js';

/** Who produced a record: its `service` object and its `environment`. */
export interface ServiceIdentity {
  readonly service: ErrorRecord['service'];
  readonly environment: string | undefined;
}

/** The fields of an identity, each either set by the user (wins) or a fallback (loses to a resource). */
export interface IdentitySettings {
  name: string;
  version: string | undefined;
  instanceId: string | undefined;
  environment: string | undefined;
  /** Fields the options set explicitly: a span's resource does not override them. */
  explicit: { name: boolean; version: boolean; environment: boolean };
}

/** What the SDK's `Resource` offers; read structurally so any 2.x resource works. */
interface ResourceLike {
  readonly attributes: Attributes;
  readonly asyncAttributesPending?: boolean;
  waitForAsyncAttributes?(): Promise<void>;
  getRawAttributes?(): [string, unknown][];
}

/**
 * The settled attributes of a resource. Detectors may leave some values as promises (host id),
 * and `attributes` then logs an error: the raw list gives the settled ones without that, in the
 * SDK's merge order (the first entry of a key wins).
 */
function settledAttributes(resource: ResourceLike): Attributes {
  if (resource.asyncAttributesPending !== true || typeof resource.getRawAttributes !== 'function')
    return resource.attributes;
  const out: Attributes = {};
  for (const [key, value] of resource.getRawAttributes()) {
    if (out[key] !== undefined || value === null || value === undefined) continue;
    if (typeof (value as { then?: unknown }).then === 'function') continue;
    out[key] = value as Attributes[string];
  }
  return out;
}

function isResource(value: unknown): value is ResourceLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { attributes?: unknown }).attributes === 'object' &&
    (value as { attributes?: unknown }).attributes !== null
  );
}

function str(attrs: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = attrs[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The identity fields named by resource attributes (a resource's, or `OTEL_RESOURCE_ATTRIBUTES`). */
export interface IdentityAttributes {
  name: string | undefined;
  version: string | undefined;
  instanceId: string | undefined;
  /** `deployment.environment.name`, else the older `deployment.environment`. */
  environment: string | undefined;
}

/** Reads the identity fields of `attrs`; an empty string counts as absent. */
export function identityAttributes(attrs: Readonly<Record<string, unknown>>): IdentityAttributes {
  return {
    name: str(attrs, ATTR_SERVICE_NAME),
    version: str(attrs, ATTR_SERVICE_VERSION),
    instanceId: str(attrs, ATTR_SERVICE_INSTANCE_ID),
    environment:
      str(attrs, ATTR_DEPLOYMENT_ENVIRONMENT_NAME) ?? str(attrs, ATTR_DEPLOYMENT_ENVIRONMENT_LEGACY),
  };
}

/** A service object with only the fields that have a value, so store lines stay small. */
function makeIdentity(
  name: string,
  version: string | undefined,
  instanceId: string | undefined,
  environment: string | undefined,
): ServiceIdentity {
  const service: ErrorRecord['service'] = { name };
  if (version !== undefined) service.version = version;
  if (instanceId !== undefined) service.instanceId = instanceId;
  return { service, environment };
}

/** How long a failed look for the global SDK's resource is trusted before looking again. */
const PROBE_RETRY_MS = 1000;

/**
 * Resolves each record's service and environment: the options first, then the resource of the
 * record's span (what `NodeSDK` built from its `serviceName`, detectors and
 * `OTEL_RESOURCE_ATTRIBUTES`), then the last resource any span showed, then the environment
 * variables. One identity object per resource, so records of one service share their `service`
 * object and the store's repeat lines compare it by reference.
 */
export class ServiceIdentities {
  readonly fallback: ServiceIdentity;
  private readonly byResource = new WeakMap<object, ServiceIdentity>();
  private readonly settling = new WeakSet<object>();
  private ambient: ResourceLike | undefined;
  private nextProbeMs = 0;

  constructor(private readonly settings: IdentitySettings) {
    this.fallback = makeIdentity(settings.name, settings.version, settings.instanceId, settings.environment);
  }

  /** Remembers the resource of a span the processor saw start, for records without a span. */
  adopt(resource: unknown): void {
    if (resource !== this.ambient && isResource(resource)) this.ambient = resource;
  }

  /** The identity of a record made on `span` (any span, or none). */
  of(span: unknown): ServiceIdentity {
    const own = span === undefined ? undefined : (span as { resource?: unknown }).resource;
    const resource = isResource(own) ? own : (this.ambient ?? this.probeGlobal());
    if (resource === undefined) return this.fallback;
    return this.fromResource(resource);
  }

  private fromResource(resource: ResourceLike): ServiceIdentity {
    const known = this.byResource.get(resource);
    if (known !== undefined) return known;
    const pending = resource.asyncAttributesPending === true;
    if (pending && !this.settling.has(resource) && typeof resource.waitForAsyncAttributes === 'function') {
      // Exporters wait for them before their first export; a setup without one never would.
      this.settling.add(resource);
      resource.waitForAsyncAttributes().catch(() => {});
    }
    const found = identityAttributes(settledAttributes(resource));
    const s = this.settings;
    const resName = found.name;
    // The SDK's default name says only that nobody named the service: a known name wins over it.
    const name =
      s.explicit.name ||
      resName === undefined ||
      (resName.startsWith('unknown_service') && !isDefault(s.name))
        ? s.name
        : resName;
    const version = s.explicit.version ? s.version : (found.version ?? s.version);
    const environment = s.explicit.environment ? s.environment : (found.environment ?? s.environment);
    const instanceId = found.instanceId ?? s.instanceId;
    const identity = makeIdentity(name, version, instanceId, environment);
    // Until every value settled, an identity could miss one: it is worked out again next time.
    if (!pending) this.byResource.set(resource, identity);
    return identity;
  }

  /**
   * A crash can be the process's first error, before any span started: the globally registered
   * SDK's tracer then holds the resource. `_resource` is the 2.x `Tracer`'s field (no public
   * accessor exists); reading it has no side effect, and a provider without it means no SDK.
   */
  private probeGlobal(): ResourceLike | undefined {
    const now = Date.now();
    if (now < this.nextProbeMs) return undefined;
    try {
      const tracer = trace.getTracerProvider().getTracer('error-insight') as { _resource?: unknown };
      if (isResource(tracer._resource)) {
        this.ambient = tracer._resource;
        return this.ambient;
      }
    } catch {
      // A hostile or half-built provider: fall back to the options and environment.
    }
    this.nextProbeMs = now + PROBE_RETRY_MS;
    return undefined;
  }
}

function isDefault(name: string): boolean {
  return name.startsWith('unknown_service');
}
