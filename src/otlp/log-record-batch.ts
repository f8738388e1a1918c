import type { AnyValue } from '@opentelemetry/api-logs';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  LoggerProvider,
  type LogRecordLimits,
  type LogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import type { ErrorRecord } from '../record.js';
import { exceptionLogRecord, recordResourceAttributes, recordResourceKey } from './exception-log-record.js';

/** The instrumentation scope of every log record error-insight emits. */
export const LOG_SCOPE_NAME = 'error-insight';

/** Resources (one per writing process) kept at once; a store rarely holds more writers. */
const MAX_PROVIDERS = 256;

/** Hands every emitted record to whoever is collecting a batch. */
class CollectingProcessor implements LogRecordProcessor {
  batch: ReadableLogRecord[] = [];
  onEmit(logRecord: ReadableLogRecord): void {
    this.batch.push(logRecord);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

interface Emitter {
  logger: ReturnType<LoggerProvider['getLogger']>;
}

/**
 * Turns records into the SDK's log records: each goes through `@opentelemetry/sdk-logs`
 * (`Logger.emit`), so the SDK's attribute limits (`OTEL_LOGRECORD_ATTRIBUTE_*_LIMIT`) and its
 * trace-context handling apply, under a resource made of the base resource and the record's
 * own process. Synchronous and cheap: the providers have no exporter and no timer.
 */
export class LogRecordBatcher {
  private readonly collector = new CollectingProcessor();
  private readonly emitters = new Map<string, Emitter>();
  /** Attribute values the SDK cut, plus attributes it dropped, since the last {@link takeTruncated}. */
  private truncated = 0;

  constructor(
    private readonly base: Resource | undefined,
    private readonly limits: LogRecordLimits = {},
  ) {}

  toLogRecords(records: readonly ErrorRecord[]): ReadableLogRecord[] {
    this.collector.batch = [];
    for (const record of records) {
      const input = exceptionLogRecord(record);
      this.emitter(record).logger.emit(input);
      const emitted = this.collector.batch[this.collector.batch.length - 1];
      if (emitted !== undefined) this.truncated += countTruncated(input.attributes ?? {}, emitted);
    }
    const out = this.collector.batch;
    this.collector.batch = [];
    return out;
  }

  takeTruncated(): number {
    const n = this.truncated;
    this.truncated = 0;
    return n;
  }

  private emitter(record: ErrorRecord): Emitter {
    const key = recordResourceKey(record);
    let emitter = this.emitters.get(key);
    if (emitter === undefined) {
      if (this.emitters.size >= MAX_PROVIDERS) this.emitters.clear();
      const own = resourceFromAttributes(recordResourceAttributes(record));
      const provider = new LoggerProvider({
        resource: this.base === undefined ? own : this.base.merge(own),
        processors: [this.collector],
        logRecordLimits: this.limits,
      });
      emitter = { logger: provider.getLogger(LOG_SCOPE_NAME) };
      this.emitters.set(key, emitter);
    }
    return emitter;
  }
}

function countTruncated(given: Record<string, AnyValue>, emitted: ReadableLogRecord): number {
  let n = emitted.droppedAttributesCount;
  for (const [key, value] of Object.entries(emitted.attributes)) {
    const original = given[key];
    if (typeof value === 'string' && typeof original === 'string' && value.length < original.length) n++;
  }
  return n;
}
