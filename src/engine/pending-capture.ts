import { inspect } from 'node:util';
import type { Span } from '@opentelemetry/api';
import type { TrailMark } from '../breadcrumbs/breadcrumb-trail.js';
import type { ErrorRecord, MemorySnapshot } from '../record.js';
import type { CaptureInput } from './capture-input.js';

/** Completes pending captures, in the order they were taken. */
export interface CaptureSettler {
  /** Completes `entry` and every capture taken before it. Never throws. */
  settle(entry: PendingCapture): void;
}

type Bag = Record<PropertyKey, unknown>;

/** Reads the completed record through a proxy (for util.inspect, which bypasses proxy traps). */
const RECORD = Symbol('error-insight.record');
const EMPTY: Bag = Object.freeze({}) as Bag;

/**
 * Prototype of each proxy's placeholder target. Node's util.inspect prints a proxy's target
 * without calling its traps; this makes `console.log(record)` print the completed record.
 */
const TARGET_PROTO: object = Object.create(Object.prototype, {
  [inspect.custom]: {
    value(this: Bag): unknown {
      return this[RECORD];
    },
  },
});

/**
 * One error taken on the caller's path: the thrown value, the context snapshot, the scope, the
 * span, the time and a memory figure. Everything else (normalization, redaction, fingerprint,
 * classification, serialization, span event, patterns) happens when it is completed: in a
 * batch after the caller's turn, or at once when the caller first reads the record it was
 * given. That record is a proxy of the one being built: any read, write or key listing
 * completes it first, so it behaves as the plain object it stands for (JSON, spread,
 * `Object.keys`, equality in tests, `console.log`). Structured cloning needs a plain copy:
 * `structuredClone({ ...record })`.
 */
export class PendingCapture implements ProxyHandler<Bag> {
  /** The completed record (what the store, the span and the stats got). */
  record: ErrorRecord | undefined;
  /** Set once completion started, so nothing completes it twice. */
  done = false;
  /** What the caller holds. */
  readonly proxy: ErrorRecord;
  /** The breadcrumb trail of the error's context and how far it went at the capture. */
  breadcrumbs: TrailMark | undefined;

  constructor(
    private readonly settler: CaptureSettler,
    public thrown: unknown,
    public input: CaptureInput | undefined,
    /** Epoch ms of the capture. */
    readonly time: number,
    readonly memory: MemorySnapshot,
    readonly span: Span | undefined,
    /** The context as passed, shallowly copied (see snapshotContext). */
    public context: unknown,
  ) {
    this.proxy = new Proxy(Object.create(TARGET_PROTO) as Bag, this) as unknown as ErrorRecord;
  }

  /** The completed record, completing it (and those taken before it) first. */
  complete(): ErrorRecord {
    if (!this.done) this.settler.settle(this);
    return (this.record ?? EMPTY) as unknown as ErrorRecord;
  }

  private target(): Bag {
    return this.complete() as unknown as Bag;
  }

  get(_t: Bag, key: PropertyKey): unknown {
    if (key === RECORD) return this.target();
    return Reflect.get(this.target(), key);
  }

  set(_t: Bag, key: PropertyKey, value: unknown): boolean {
    return Reflect.set(this.target(), key, value);
  }

  has(_t: Bag, key: PropertyKey): boolean {
    return Reflect.has(this.target(), key);
  }

  ownKeys(_t: Bag): ArrayLike<string | symbol> {
    return Reflect.ownKeys(this.target());
  }

  getOwnPropertyDescriptor(t: Bag, key: PropertyKey): PropertyDescriptor | undefined {
    const d = Reflect.getOwnPropertyDescriptor(this.target(), key);
    // A proxy may only report a non-configurable property its target has too.
    if (d !== undefined && d.configurable === false) Reflect.defineProperty(t, key, d);
    return d;
  }

  defineProperty(t: Bag, key: PropertyKey, desc: PropertyDescriptor): boolean {
    const ok = Reflect.defineProperty(this.target(), key, desc);
    if (ok && desc.configurable === false) {
      Reflect.defineProperty(t, key, Reflect.getOwnPropertyDescriptor(this.target(), key)!);
    }
    return ok;
  }

  deleteProperty(_t: Bag, key: PropertyKey): boolean {
    return Reflect.deleteProperty(this.target(), key);
  }

  getPrototypeOf(t: Bag): object | null {
    return Reflect.isExtensible(t) ? Reflect.getPrototypeOf(this.target()) : Reflect.getPrototypeOf(t);
  }

  setPrototypeOf(_t: Bag, proto: object | null): boolean {
    return Reflect.setPrototypeOf(this.target(), proto);
  }

  /** Freezing or sealing the record: the target becomes a copy, as the invariants require. */
  preventExtensions(t: Bag): boolean {
    const r = this.target();
    for (const key of Reflect.ownKeys(r))
      Reflect.defineProperty(t, key, Reflect.getOwnPropertyDescriptor(r, key)!);
    Reflect.setPrototypeOf(t, Reflect.getPrototypeOf(r));
    Reflect.preventExtensions(r);
    return Reflect.preventExtensions(t);
  }
}
